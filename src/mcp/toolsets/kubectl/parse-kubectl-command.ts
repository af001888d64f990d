import { splitCommandLine } from './split-command-line.ts';

export type ListedResource = 'pods' | 'deployments' | 'services' | 'nodes' | 'events';

interface Scope {
  /** Absent: the kubeconfig context's namespace, as kubectl does. */
  namespace?: string;
  allNamespaces: boolean;
}

export type KubectlCommand =
  | ({ verb: 'get'; resource: ListedResource; name?: string; labelSelector?: string; fieldSelector?: string } & Scope)
  | { verb: 'describe'; kind: 'pod' | 'deployment'; name: string; namespace?: string }
  | { verb: 'logs'; pod: string; container?: string; previous: boolean; tail?: number; namespace?: string }
  | ({ verb: 'top'; resource: 'pods' | 'nodes'; labelSelector?: string } & Scope)
  | ({ verb: 'events' } & Scope)
  | { verb: 'rollout-status'; name: string; namespace?: string };

export type ParseResult = { ok: true; command: KubectlCommand } | { ok: false; message: string };

export const ALLOWED_COMMANDS = [
  'get pods|deployments|services|nodes|events [name] [-n ns | -A] [-l selector] [--field-selector f]',
  'describe pod|deployment <name> [-n ns]',
  'logs <pod> [-c container] [--previous] [--tail N] [-n ns]',
  'top pods|nodes [-n ns | -A] [-l selector]',
  'events [-n ns | -A]',
  'rollout status deployment/<name> [-n ns]',
];

const ALIASES: Record<string, ListedResource> = {
  po: 'pods', pod: 'pods', pods: 'pods',
  deploy: 'deployments', deployment: 'deployments', deployments: 'deployments', 'deployments.apps': 'deployments',
  svc: 'services', service: 'services', services: 'services',
  no: 'nodes', node: 'nodes', nodes: 'nodes',
  ev: 'events', event: 'events', events: 'events',
};

/** Flags taking a value, by every spelling kubectl accepts, mapped to one key. */
const VALUE_FLAGS: Record<string, string> = {
  '-n': 'namespace', '--namespace': 'namespace',
  '-l': 'selector', '--selector': 'selector',
  '--field-selector': 'fieldSelector',
  '-c': 'container', '--container': 'container',
  '--tail': 'tail',
  '-o': 'output', '--output': 'output',
};
const BOOLEAN_FLAGS: Record<string, string> = {
  '-A': 'allNamespaces', '--all-namespaces': 'allNamespaces',
  '-p': 'previous', '--previous': 'previous',
};

const VERBS = new Set(['get', 'describe', 'logs', 'top', 'events', 'rollout']);

const refuse = (message: string): ParseResult => ({
  ok: false,
  message: `${message}\nThe kubectl tool is read-only. Allowed:\n${ALLOWED_COMMANDS.map((c) => `  kubectl ${c}`).join('\n')}`,
});

/** Parses a kubectl-style command line into one of the allowed read-only commands, or says why not. */
export function parseKubectlCommand(line: string): ParseResult {
  const split = splitCommandLine(line.trim());
  if (!split.ok) return refuse(`cannot parse the command: ${split.message}.`);
  const words = split.words[0] === 'kubectl' ? split.words.slice(1) : split.words;
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
      inline = flag.slice(2); // -nshop
      flag = flag.slice(0, 2);
    }
    if (flag in BOOLEAN_FLAGS) {
      flags[BOOLEAN_FLAGS[flag] ?? flag] = 'true';
    } else if (flag in VALUE_FLAGS) {
      const value = inline ?? words[++i];
      if (value === undefined || value === '') return refuse(`flag ${flag} needs a value.`);
      flags[VALUE_FLAGS[flag] ?? flag] = value;
    } else {
      return refuse(`flag ${flag} is not supported here.`);
    }
  }
  if (flags.output !== undefined && flags.output !== 'wide') {
    return refuse(`-o ${flags.output} is not supported: output is a compact table; use describe for detail.`);
  }
  const [verb, ...rest] = positional;
  if (verb === undefined) return refuse('no command given.');
  const scope: Scope = { allNamespaces: flags.allNamespaces === 'true' };
  if (flags.namespace !== undefined) scope.namespace = flags.namespace;
  const only = (allowed: string[]): string | undefined => Object.keys(flags).find((k) => !allowed.includes(k) && k !== 'output');
  const listFlags = ['namespace', 'allNamespaces', 'selector', 'fieldSelector'];

  switch (verb) {
    case 'get': {
      const [target, name, extra] = rest;
      const [kind, slashName] = (target ?? '').split('/', 2);
      const resource = ALIASES[kind ?? ''];
      if (target === undefined) return refuse('get needs a resource type.');
      if (resource === undefined) return refuse(`get ${kind} is not allowed${/^secrets?$/.test(kind ?? '') ? ': Secret data never leaves the MCP server' : ''}.`);
      if (extra !== undefined || (slashName !== undefined && name !== undefined)) return refuse('get takes one resource name at most.');
      const bad = only(listFlags);
      if (bad !== undefined) return refuse(`get does not take --${bad}.`);
      const command: KubectlCommand = { verb: 'get', resource, ...scope };
      const theName = slashName ?? name;
      if (theName !== undefined) command.name = theName;
      if (flags.selector !== undefined) command.labelSelector = flags.selector;
      if (flags.fieldSelector !== undefined) command.fieldSelector = flags.fieldSelector;
      return { ok: true, command };
    }
    case 'describe': {
      const [target, name, extra] = rest;
      const [kind, slashName] = (target ?? '').split('/', 2);
      const resource = ALIASES[kind ?? ''];
      const theName = slashName ?? name;
      if (resource !== 'pods' && resource !== 'deployments') return refuse(`describe ${kind ?? ''} is not allowed.`);
      if (theName === undefined || extra !== undefined || (slashName !== undefined && name !== undefined)) {
        return refuse('describe takes exactly one name: describe pod <name> -n <namespace>.');
      }
      const bad = only(['namespace']);
      if (bad !== undefined) return refuse(`describe does not take --${bad}.`);
      return { ok: true, command: { verb: 'describe', kind: resource === 'pods' ? 'pod' : 'deployment', name: theName, ...nsOf(scope) } };
    }
    case 'logs': {
      const [target, extra] = rest;
      const pod = target?.replace(/^(pods?|po)\//, '');
      if (pod === undefined || pod === '' || extra !== undefined || pod.includes('/')) {
        return refuse('logs takes one pod name: logs <pod> [-c container] [--previous] [--tail N] -n <namespace>.');
      }
      const bad = only(['namespace', 'container', 'previous', 'tail']);
      if (bad !== undefined) return refuse(`logs does not take --${bad}.`);
      const command: KubectlCommand = { verb: 'logs', pod, previous: flags.previous === 'true', ...nsOf(scope) };
      if (flags.container !== undefined) command.container = flags.container;
      if (flags.tail !== undefined) {
        const tail = Number(flags.tail);
        if (!Number.isInteger(tail) || tail < 1 || tail > 5000) return refuse('--tail must be a whole number from 1 to 5000.');
        command.tail = tail;
      }
      return { ok: true, command };
    }
    case 'top': {
      const resource = ALIASES[rest[0] ?? ''];
      if ((resource !== 'pods' && resource !== 'nodes') || rest.length > 1) return refuse('top takes pods or nodes.');
      const bad = only(['namespace', 'allNamespaces', 'selector']);
      if (bad !== undefined) return refuse(`top does not take --${bad}.`);
      const command: KubectlCommand = { verb: 'top', resource, ...scope };
      if (flags.selector !== undefined) command.labelSelector = flags.selector;
      return { ok: true, command };
    }
    case 'events': {
      const bad = only(['namespace', 'allNamespaces']);
      if (rest.length > 0 || bad !== undefined) return refuse('events takes only -n <namespace> or -A.');
      return { ok: true, command: { verb: 'events', ...scope } };
    }
    case 'rollout': {
      const [sub, target, name, extra] = rest;
      const [kind, slashName] = (target ?? '').split('/', 2);
      const theName = slashName ?? name;
      if (sub !== 'status') return refuse(`rollout ${sub ?? ''} is not allowed: only rollout status is read-only.`);
      if (ALIASES[kind ?? ''] !== 'deployments' || theName === undefined || extra !== undefined || (slashName !== undefined && name !== undefined)) {
        return refuse('rollout status takes one deployment: rollout status deployment/<name> -n <namespace>.');
      }
      const bad = only(['namespace']);
      if (bad !== undefined) return refuse(`rollout status does not take --${bad}.`);
      return { ok: true, command: { verb: 'rollout-status', name: theName, ...nsOf(scope) } };
    }
    default:
      return refuse(`kubectl ${verb} is not allowed.`);
  }
}

function nsOf(scope: Scope): { namespace?: string } {
  return scope.namespace === undefined ? {} : { namespace: scope.namespace };
}
