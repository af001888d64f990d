import { splitCommandLine } from './split-command-line.ts';

interface Scope {
  /** Absent: the kubeconfig context's namespace, as kubectl does. */
  namespace?: string;
  allNamespaces: boolean;
}

export type OutputFormat = 'table' | 'wide' | 'name' | 'yaml' | 'json';

/** Workloads `logs` follows to their first pod, as kubectl does for `logs deploy/x`. */
export type LogSource = 'pod' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'replicaset';

export type KubectlCommand =
  /** `types` are as typed ("po", "certificates.cert-manager.io", "all"): the API's discovery resolves them at run time. */
  | ({ verb: 'get'; types: string[]; name?: string; output: OutputFormat; labelSelector?: string; fieldSelector?: string } & Scope)
  | { verb: 'describe'; type: string; name: string; namespace?: string }
  | {
      verb: 'logs';
      source?: { kind: LogSource; name: string };
      labelSelector?: string;
      container?: string;
      previous: boolean;
      tail?: number;
      sinceSeconds?: number;
      namespace?: string;
    }
  | ({ verb: 'top'; resource: 'pods' | 'nodes'; labelSelector?: string } & Scope)
  | ({ verb: 'events'; for?: { type: string; name: string }; types?: string } & Scope)
  | { verb: 'rollout-status' | 'rollout-history'; name: string; namespace?: string }
  | { verb: 'api-resources' }
  | { verb: 'cluster-info' }
  | { verb: 'contexts' };

export type ParseResult = { ok: true; command: KubectlCommand } | { ok: false; message: string };

export const ALLOWED_COMMANDS = [
  'get <type>[,<type>…]|all [name | type/name] [-n ns | -A] [-l selector] [--field-selector f] [-o wide|name|yaml|json] (any type the API serves, CRDs included; yaml/json need a name)',
  'describe <type> <name> | <type>/<name> [-n ns]',
  'logs <pod> | deploy/<name> | sts/<name> | ds/<name> | job/<name> | rs/<name> | -l selector [-c container] [-p] [--tail N] [--since 1h] [-n ns]',
  'top pods|nodes [-n ns | -A] [-l selector]',
  'events [-n ns | -A] [--for kind/name] [--types Warning]',
  'rollout status|history deployment/<name> [-n ns]',
  'api-resources · cluster-info · version · config current-context|get-contexts',
];

/** Flags taking a value, by every spelling kubectl accepts, mapped to one key. */
const VALUE_FLAGS: Record<string, string> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-l': 'selector',
  '--selector': 'selector',
  '--field-selector': 'fieldSelector',
  '-c': 'container',
  '--container': 'container',
  '--tail': 'tail',
  '--since': 'since',
  '-o': 'output',
  '--output': 'output',
  '--for': 'for',
  '--types': 'types',
};
const BOOLEAN_FLAGS: Record<string, string> = {
  '-A': 'allNamespaces',
  '--all-namespaces': 'allNamespaces',
  '-p': 'previous',
  '--previous': 'previous',
};
/** Flags a chat answer cannot honour, with why: better than "not supported". */
const STREAMING_FLAGS = new Set(['-w', '--watch', '-f', '--follow', '--watch-only']);

const VERBS = new Set(['get', 'describe', 'logs', 'log', 'top', 'events', 'rollout', 'api-resources', 'cluster-info', 'version', 'config']);
const OUTPUTS = new Set<OutputFormat>(['wide', 'name', 'yaml', 'json']);

const LOG_SOURCES: Record<string, LogSource> = {
  po: 'pod',
  pod: 'pod',
  pods: 'pod',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployments.apps': 'deployment',
  sts: 'statefulset',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  'statefulsets.apps': 'statefulset',
  ds: 'daemonset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  'daemonsets.apps': 'daemonset',
  job: 'job',
  jobs: 'job',
  'jobs.batch': 'job',
  rs: 'replicaset',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  'replicasets.apps': 'replicaset',
};
const DEPLOYMENT_WORDS = new Set(['deploy', 'deployment', 'deployments', 'deployments.apps']);
/** A type word as kubectl takes it: a kind, plural, short name or `<plural>.<group>`. */
const TYPE_WORD = /^[A-Za-z][A-Za-z0-9.-]{0,252}$/;

const refuse = (message: string): ParseResult => ({
  ok: false,
  message: `${message}\nThe kubectl tool is read-only. Allowed:\n${ALLOWED_COMMANDS.map((c) => `  kubectl ${c}`).join('\n')}`,
});

/** `--since 90s|15m|2h|1d` in seconds, or undefined when malformed. */
function parseSince(value: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(value);
  if (match === null) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}

/** "deploy/x" → ["deploy", "x"]; "x" → ["x", undefined]. One split, so a name with a slash stays whole and is refused later. */
function splitTarget(target: string | undefined): [string, string | undefined] {
  if (target === undefined) return ['', undefined];
  const slash = target.indexOf('/');
  return slash === -1 ? [target, undefined] : [target.slice(0, slash), target.slice(slash + 1)];
}

/** Parses a kubectl-style command line (`kubectl`/`k` prefix optional) into one read-only command, or says why not. */
export function parseKubectlCommand(line: string): ParseResult {
  const split = splitCommandLine(line.trim());
  if (!split.ok) return refuse(`cannot parse the command: ${split.message}.`);
  const words = split.words[0] === 'kubectl' || split.words[0] === 'k' ? split.words.slice(1) : split.words;
  // Judge the verb before the flags, so "delete pod x --force" is refused as a delete.
  const firstWord = words.find((w) => !w.startsWith('-'));
  if (firstWord !== undefined && !VERBS.has(firstWord)) return refuse(`kubectl ${firstWord} is not allowed.`);
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    let flag = eq === -1 ? word : word.slice(0, eq);
    let inline = eq === -1 ? undefined : word.slice(eq + 1);
    if (/^-[a-zA-Z].+/.test(flag) && !(flag in VALUE_FLAGS) && !(flag in BOOLEAN_FLAGS) && flag.slice(0, 2) in VALUE_FLAGS) {
      inline = flag.slice(2); // -nshop, -owide
      flag = flag.slice(0, 2);
    }
    if (flag in BOOLEAN_FLAGS) {
      flags[BOOLEAN_FLAGS[flag] ?? flag] = 'true';
    } else if (flag in VALUE_FLAGS) {
      const value = inline ?? words[++i];
      if (value === undefined || value === '') return refuse(`flag ${flag} needs a value.`);
      flags[VALUE_FLAGS[flag] ?? flag] = value;
    } else if (STREAMING_FLAGS.has(flag)) {
      return refuse(`flag ${flag} is not supported: a chat answer is one snapshot, it cannot stream.`);
    } else {
      return refuse(`flag ${flag} is not supported here.`);
    }
  }
  const [verb, ...rest] = positional;
  if (verb === undefined) return refuse('no command given.');
  const scope: Scope = { allNamespaces: flags.allNamespaces === 'true' };
  if (flags.namespace !== undefined) scope.namespace = flags.namespace;
  const only = (allowed: string[]): string | undefined => Object.keys(flags).find((k) => !allowed.includes(k));
  const flagName = (key: string) =>
    Object.keys(VALUE_FLAGS)
      .concat(Object.keys(BOOLEAN_FLAGS))
      .find((f) => f.startsWith('--') && (VALUE_FLAGS[f] ?? BOOLEAN_FLAGS[f]) === key) ?? key;
  const rejectFlags = (what: string, allowed: string[]): ParseResult | undefined => {
    const bad = only(allowed);
    return bad === undefined ? undefined : refuse(`${what} does not take ${flagName(bad)}.`);
  };

  switch (verb) {
    case 'get': {
      const [target, name, extra] = rest;
      if (target === undefined) return refuse('get needs a resource type, e.g. get pods, get deploy, get ns, get crd.');
      const [typeList, slashName] = splitTarget(target);
      const types = typeList.split(',');
      if (types.some((t) => !TYPE_WORD.test(t))) return refuse(`get ${typeList}: not a resource type.`);
      if (extra !== undefined || (slashName !== undefined && name !== undefined) || slashName?.includes('/') === true) {
        return refuse('get takes one resource name at most.');
      }
      const theName = slashName ?? name;
      if (theName !== undefined && types.length > 1) return refuse('get with a name takes one resource type.');
      const bad = rejectFlags('get', ['namespace', 'allNamespaces', 'selector', 'fieldSelector', 'output']);
      if (bad !== undefined) return bad;
      const output = flags.output ?? 'table';
      if (output !== 'table' && !OUTPUTS.has(output as OutputFormat))
        return refuse(`-o ${output} is not supported: use -o wide, name, yaml or json.`);
      if ((output === 'yaml' || output === 'json') && theName === undefined) {
        return refuse(`-o ${output} needs one object's name (get <type> <name> -o ${output}); lists are shown as tables.`);
      }
      const command: KubectlCommand = { verb: 'get', types, output: output as OutputFormat, ...scope };
      if (theName !== undefined) command.name = theName;
      if (flags.selector !== undefined) command.labelSelector = flags.selector;
      if (flags.fieldSelector !== undefined) command.fieldSelector = flags.fieldSelector;
      return { ok: true, command };
    }
    case 'describe': {
      const [target, name, extra] = rest;
      const [type, slashName] = splitTarget(target);
      const theName = slashName ?? name;
      if (!TYPE_WORD.test(type)) return refuse('describe needs a resource type and a name: describe pod <name> -n <namespace>.');
      if (
        theName === undefined ||
        theName === '' ||
        extra !== undefined ||
        (slashName !== undefined && name !== undefined) ||
        theName.includes('/')
      ) {
        return refuse('describe takes exactly one name: describe pod <name> -n <namespace>.');
      }
      const bad = rejectFlags('describe', ['namespace']);
      if (bad !== undefined) return bad;
      return { ok: true, command: { verb: 'describe', type, name: theName, ...nsOf(scope) } };
    }
    case 'log':
    case 'logs': {
      const [target, containerWord, extra] = rest;
      const usage =
        'logs takes one pod or workload: logs <pod> | deploy/<name> | job/<name> [-c container] [-p] [--tail N] [--since 1h] -n <namespace>, or logs -l <selector>.';
      if (
        extra !== undefined ||
        (target === undefined && flags.selector === undefined) ||
        (target !== undefined && flags.selector !== undefined)
      )
        return refuse(usage);
      const bad = rejectFlags('logs', ['namespace', 'container', 'previous', 'tail', 'since', 'selector']);
      if (bad !== undefined) return bad;
      const command: Extract<KubectlCommand, { verb: 'logs' }> = { verb: 'logs', previous: flags.previous === 'true', ...nsOf(scope) };
      if (target !== undefined) {
        const [kindWord, slashName] = splitTarget(target);
        const kind = slashName === undefined ? 'pod' : LOG_SOURCES[kindWord.toLowerCase()];
        const name = slashName ?? kindWord;
        if (kind === undefined)
          return refuse(`logs ${kindWord}/…: logs follow a pod, deployment, statefulset, daemonset, job or replicaset.`);
        if (name === '' || name.includes('/')) return refuse(usage);
        command.source = { kind, name };
      }
      if (flags.selector !== undefined) command.labelSelector = flags.selector;
      // kubectl also takes the container as a second word: logs <pod> <container>.
      const container = flags.container ?? containerWord;
      if (container !== undefined) command.container = container;
      if (flags.tail !== undefined) {
        const tail = Number(flags.tail);
        if (!Number.isInteger(tail) || tail < 1 || tail > 5000) return refuse('--tail must be a whole number from 1 to 5000.');
        command.tail = tail;
      }
      if (flags.since !== undefined) {
        const sinceSeconds = parseSince(flags.since);
        if (sinceSeconds === undefined) return refuse('--since takes a duration such as 30s, 15m, 2h or 1d.');
        command.sinceSeconds = sinceSeconds;
      }
      return { ok: true, command };
    }
    case 'top': {
      const word = rest[0] ?? '';
      const resource = ['po', 'pod', 'pods'].includes(word) ? 'pods' : ['no', 'node', 'nodes'].includes(word) ? 'nodes' : undefined;
      if (resource === undefined || rest.length > 1) return refuse('top takes pods or nodes.');
      const bad = rejectFlags('top', ['namespace', 'allNamespaces', 'selector']);
      if (bad !== undefined) return bad;
      const command: KubectlCommand = { verb: 'top', resource, ...scope };
      if (flags.selector !== undefined) command.labelSelector = flags.selector;
      return { ok: true, command };
    }
    case 'events': {
      const bad = rejectFlags('events', ['namespace', 'allNamespaces', 'for', 'types']);
      if (rest.length > 0 || bad !== undefined)
        return refuse('events takes only -n <namespace> or -A, --for <kind>/<name> and --types <Normal|Warning>.');
      const command: Extract<KubectlCommand, { verb: 'events' }> = { verb: 'events', ...scope };
      if (flags.for !== undefined) {
        const [type, name] = splitTarget(flags.for);
        if (!TYPE_WORD.test(type) || name === undefined || name === '' || name.includes('/'))
          return refuse('--for takes <kind>/<name>, e.g. --for pod/checkout-x.');
        command.for = { type, name };
      }
      if (flags.types !== undefined) {
        if (!/^(Normal|Warning)(,(Normal|Warning))?$/.test(flags.types))
          return refuse('--types takes Normal, Warning or both (comma-separated).');
        command.types = flags.types;
      }
      return { ok: true, command };
    }
    case 'rollout': {
      const [sub, target, name, extra] = rest;
      const [kind, slashName] = splitTarget(target);
      const theName = slashName ?? name;
      if (sub !== 'status' && sub !== 'history')
        return refuse(`rollout ${sub ?? ''} is not allowed: only rollout status and rollout history are read-only.`);
      if (!DEPLOYMENT_WORDS.has(kind) || theName === undefined || extra !== undefined || (slashName !== undefined && name !== undefined)) {
        return refuse(`rollout ${sub} takes one deployment: rollout ${sub} deployment/<name> -n <namespace>.`);
      }
      const bad = rejectFlags(`rollout ${sub}`, ['namespace']);
      if (bad !== undefined) return bad;
      return { ok: true, command: { verb: sub === 'status' ? 'rollout-status' : 'rollout-history', name: theName, ...nsOf(scope) } };
    }
    case 'api-resources':
    case 'cluster-info':
    case 'version': {
      if (rest.length > 0 || Object.keys(flags).length > 0) return refuse(`${verb} takes no arguments here.`);
      return { ok: true, command: { verb: verb === 'api-resources' ? 'api-resources' : 'cluster-info' } };
    }
    case 'config': {
      // Only the names of contexts: config view would show the kubeconfig, use-context would change it.
      if (rest.length !== 1 || !['current-context', 'get-contexts'].includes(rest[0] ?? '') || Object.keys(flags).length > 0) {
        return refuse(`kubectl config ${rest.join(' ')} is not allowed: only config current-context and config get-contexts.`);
      }
      return { ok: true, command: { verb: 'contexts' } };
    }
    default:
      return refuse(`kubectl ${verb} is not allowed.`);
  }
}

function nsOf(scope: Scope): { namespace?: string } {
  return scope.namespace === undefined ? {} : { namespace: scope.namespace };
}
