import { stringify } from 'yaml';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { getJson } from '../../../kube/get-json.ts';
import { hideSecretData } from '../../../kube/hide-secret-data.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import { resourcePath, type ApiResource } from '../../../kube/resolve-resource.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import { own, resultParts, untrusted } from '../../result-parts.ts';
import type { ResultPart, ToolContext, ToolResult } from '../../tool-definition.ts';
import { listDeployments } from '../core/deployments.ts';
import { listEvents } from '../core/events.ts';
import { listNodes } from '../core/nodes.ts';
import { listPods } from '../core/pods.ts';
import { listResources, resolveOrExplain } from '../core/resources.ts';
import { listServices } from '../core/services.ts';
import type { KubectlCommand } from '../../../contract/kubectl/parse-kubectl-command.ts';

type GetCommand = Extract<KubectlCommand, { verb: 'get' }>;

/** What `kubectl get all` lists (the "all" category of the built-in kinds). */
const ALL_CATEGORY = [
  'pods',
  'services',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'jobs',
  'cronjobs',
  'horizontalpodautoscalers',
];

/** The name kubectl prints for a type in `-o name` and `kind/name` hints: "pod", "deployment.apps". */
export function typeName(resource: ApiResource): string {
  return `${resource.kind.toLowerCase()}${resource.group === '' ? '' : `.${resource.group}`}`;
}

/** A spelling of the type that discovery resolves to exactly this resource again. */
const qualified = (resource: ApiResource): string => (resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`);

const isSecret = (resource: ApiResource) => resource.group === '' && resource.resource === 'secrets';

interface Options {
  budgetTokens: number | undefined;
  deniesKind: ToolContext['deniesKind'];
}

/** `kubectl get` of any type discovery knows, one or several (`get deploy,svc`, `get all`). */
export async function kubectlGet(kube: KubeClient, command: GetCommand, options: Options): Promise<ToolResult> {
  const types = command.types.flatMap((t) => (t === 'all' ? ALL_CATEGORY : [t]));
  const results: ToolResult[] = [];
  for (const type of types) results.push(await getOneType(kube, command, type, options));
  if (results.length === 1 && results[0] !== undefined) return results[0];
  const text: ResultPart[] = results.flatMap((r, i) => [...(i === 0 ? [] : [own('')]), ...resultParts(r.text, types[i] ?? '')]);
  return { text, structuredContent: { results: results.map((r, i) => ({ type: types[i], ...r.structuredContent })) } };
}

async function getOneType(kube: KubeClient, command: GetCommand, type: string, { budgetTokens, deniesKind }: Options): Promise<ToolResult> {
  const resource = await resolveOrExplain(kube, { kind: type }, deniesKind);
  const namespace = !resource.namespaced || command.allNamespaces ? undefined : (command.namespace ?? kube.defaultNamespace);
  if (command.output === 'yaml' || command.output === 'json')
    return getObject(kube, resource, namespace, command.name ?? '', command.output);
  const byName = command.name === undefined ? undefined : `metadata.name=${command.name}`;
  const fieldSelector = [command.fieldSelector, byName].filter((s) => s !== undefined).join(',') || undefined;
  const args = { namespace, labelSelector: command.labelSelector, fieldSelector };
  const result =
    command.output === 'name' ? await listNames(kube, resource, args) : await listTable(kube, resource, args, budgetTokens, deniesKind);
  const total = (result.structuredContent?.summary as { total?: number } | undefined)?.total;
  if (command.name !== undefined && total === 0) {
    const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
    throw new ToolFailure(
      `${qualified(resource)} "${command.name}" not found${where}. Run \`get ${resource.resource}${namespace === undefined ? '' : ` -n ${namespace}`}\` to see the names.`,
    );
  }
  return result;
}

type ListArgs = { namespace: string | undefined; labelSelector: string | undefined; fieldSelector: string | undefined };

/** The richer tables of the dedicated tools where there is one (they already carry kubectl's wide columns); any other type generically. */
function listTable(
  kube: KubeClient,
  resource: ApiResource,
  args: ListArgs,
  budgetTokens: number | undefined,
  deniesKind: Options['deniesKind'],
): Promise<ToolResult> {
  const key = `${resource.group}/${resource.resource}`;
  switch (key) {
    case '/pods':
      return listPods(kube, args, budgetTokens);
    case 'apps/deployments':
      return listDeployments(kube, args, budgetTokens);
    case '/services':
      return listServices(kube, args, budgetTokens);
    case '/nodes':
      return listNodes(kube, args, budgetTokens);
    case '/events':
      return listEvents(kube, args);
    default:
      return listResources(kube, { kind: qualified(resource), ...args }, deniesKind);
  }
}

/** `-o name`: one `type/name` line per object, as kubectl prints them. */
async function listNames(kube: KubeClient, resource: ApiResource, args: ListArgs): Promise<ToolResult> {
  const list = await getJson<{ items?: { metadata?: { name?: string; namespace?: string } }[]; metadata?: { continue?: string } }>(kube, {
    path: resourcePath(resource, { namespace: args.namespace }),
    query: { labelSelector: args.labelSelector, fieldSelector: args.fieldSelector, limit: 500 },
  }).catch(withNotFoundHint('Use get namespaces to see the namespaces.'));
  const names = (list.items ?? []).map((item) => `${typeName(resource)}/${item.metadata?.name ?? ''}`);
  const scope = !resource.namespaced
    ? 'in the cluster'
    : args.namespace === undefined
      ? 'in all namespaces'
      : `in namespace ${args.namespace}`;
  const more = list.metadata?.continue ? ' (the first 500; narrow with -n or -l)' : '';
  return {
    text:
      names.length === 0
        ? [own(`No ${resource.resource} ${scope}.`)]
        : [own(`${names.length} ${resource.resource} ${scope}${more}:`), untrusted(`${resource.resource} ${scope}`, names.join('\n'))],
    structuredContent: { summary: { total: names.length }, names },
  };
}

/** `-o yaml|json` of one object, pruned; a Secret shows its type and key names, never its values. */
export async function getObject(
  kube: KubeClient,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  output: 'yaml' | 'json',
): Promise<ToolResult> {
  const raw = await getJson<Record<string, unknown>>(kube, { path: resourcePath(resource, { namespace, name }) }).catch(
    withNotFoundHint(`Run get ${resource.resource}${namespace === undefined ? '' : ` -n ${namespace}`} to see the names.`),
  );
  const object = pruneObject(isSecret(resource) ? hideSecretData(raw) : raw) as Record<string, unknown>;
  const where = namespace === undefined ? name : `${namespace}/${name}`;
  const body = output === 'yaml' ? stringify(object, { lineWidth: 0 }).trimEnd() : JSON.stringify(object, null, 2);
  return {
    text: [
      own(`${resource.kind} ${where} (${resource.apiVersion}):`),
      untrusted(`${resource.kind} ${where}`, body),
      ...(isSecret(resource) ? [own('(Secret values are never returned: key names only.)')] : []),
    ],
    structuredContent: { object },
  };
}
