import { stringify } from 'yaml';
import { z } from 'zod';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { formatAge } from '../../../kube/format-age.ts';
import { getJson } from '../../../kube/get-json.ts';
import { hideSecretData } from '../../../kube/hide-secret-data.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import { listApiResources, resolveResource, resourcePath, type ApiResource } from '../../../kube/resolve-resource.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import { formatListResult } from '../../format-list-result.ts';
import { defineTool, READ_ONLY, type ToolContext, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { listArguments, namespaceName } from './list-arguments.ts';
import { own, untrusted } from '../../result-parts.ts';

interface AnyObject {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  status?: { phase?: string; conditions?: { type?: string; status?: string; reason?: string }[] };
  type?: string;
  data?: Record<string, unknown>;
}

const typeArguments = {
  kind: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, { error: 'expected a kind ("Deployment"), a plural ("deployments") or "<plural>.<group>"' })
    .describe('Kind ("Certificate"), plural resource name ("certificates"), short name, or "<plural>.<group>". CRDs included.'),
  apiVersion: z
    .string()
    .max(253)
    .regex(/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/, { error: 'expected "v1" or "<group>/<version>", e.g. "apps/v1"' })
    .optional()
    .describe('"<group>/<version>", e.g. "cert-manager.io/v1"; the preferred version when omitted.'),
};

/** Finds the resource type, or fails naming types that look close, so the model can retry right. */
export async function resolveOrExplain(
  kube: KubeClient,
  { kind, apiVersion }: { kind: string; apiVersion?: string | undefined },
  deniesKind?: ToolContext['deniesKind'],
): Promise<ApiResource> {
  const resource = await resolveResource(kube, { kind, apiVersion }).catch(
    withNotFoundHint(`apiVersion "${apiVersion ?? ''}" is not served by this cluster; omit apiVersion to use the preferred version.`),
  );
  // Policy names kinds; the argument may have been a plural or short name ("deploy"), so ask again resolved.
  if (resource !== undefined && deniesKind?.(resource.kind) === true) {
    throw new ToolFailure(`refused: resource kind ${resource.kind} is denied on this MCP server (MCP_DENIED_KINDS).`, {
      code: 'tool_refused',
    });
  }
  if (resource !== undefined) return resource;
  const all = await listApiResources(kube);
  const needle = kind.toLowerCase().replace(/s$/, '');
  const close = all.filter((r) => r.resource.includes(needle) || r.kind.toLowerCase().includes(needle)).slice(0, 8);
  const suggestion = close.length > 0 ? ` Close matches: ${close.map((r) => `${r.kind} (${r.apiVersion})`).join(', ')}.` : '';
  throw new ToolFailure(
    `the cluster serves no resource type "${kind}"${apiVersion ? ` in ${apiVersion}` : ''}.${suggestion} Pass a kind such as "Deployment" or a plural such as "deployments".`,
    { code: 'tool_input_invalid' },
  );
}

const isSecret = (r: ApiResource) => r.group === '' && r.resource === 'secrets';

/** A compact status for any object: its phase, else its Ready/Available condition, else the first condition that is not True. */
function statusOf(object: AnyObject): { status: string; anomalous: boolean } {
  const phase = object.status?.phase;
  if (phase !== undefined) return { status: phase, anomalous: !['Running', 'Succeeded', 'Active', 'Bound', 'Available'].includes(phase) };
  const conditions = object.status?.conditions ?? [];
  const main = conditions.find((c) => c.type === 'Ready' || c.type === 'Available');
  if (main !== undefined)
    return { status: `${main.type}=${main.status ?? ''}${main.reason ? ` (${main.reason})` : ''}`, anomalous: main.status !== 'True' };
  const bad = conditions.find((c) => c.status !== 'True');
  if (bad !== undefined) return { status: `${bad.type ?? ''}=${bad.status ?? ''}`, anomalous: true };
  return { status: '', anomalous: false };
}

export interface ResourcesListArguments {
  kind: string;
  apiVersion?: string | undefined;
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
}

/** resources_list: any kind, as a table of name, namespace, age and status; Secrets by name, type and keys only. */
export async function listResources(
  kube: KubeClient,
  args: ResourcesListArguments,
  deniesKind?: ToolContext['deniesKind'],
): Promise<ToolResult> {
  const resource = await resolveOrExplain(kube, args, deniesKind);
  const namespace = resource.namespaced ? args.namespace : undefined;
  const list = await getJson<{ items?: AnyObject[]; metadata?: { continue?: string } }>(kube, {
    path: resourcePath(resource, { namespace }),
    query: { labelSelector: args.labelSelector, fieldSelector: args.fieldSelector, limit: args.limit ?? 100, continue: args.continue },
  }).catch(withNotFoundHint(`Use namespaces_list to see the namespaces.`));
  const now = new Date();
  const rows = (list.items ?? []).map((raw) => {
    const object = isSecret(resource) ? hideSecretData(raw) : raw;
    const keys = isSecret(resource) ? ((object as { keys?: string[] }).keys ?? []) : undefined;
    const { status, anomalous } = statusOf(object);
    return {
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
      age: formatAge(object.metadata?.creationTimestamp, now),
      status: keys === undefined ? status : `${object.type ?? ''} (${keys.length} keys: ${keys.join(',')})`,
      anomalous,
    };
  });
  const scopeNote = !resource.namespaced && args.namespace !== undefined ? ' (cluster-scoped: namespace ignored)' : '';
  return formatListResult({
    noun: resource.resource,
    scope: `(${resource.kind}, ${resource.apiVersion}) ${resource.namespaced ? (namespace === undefined ? 'in all namespaces' : `in namespace ${namespace}`) : 'in the cluster'}${scopeNote}`,
    rows,
    columns: [
      ...(resource.namespaced && namespace === undefined
        ? [{ header: 'namespace', value: (r: (typeof rows)[number]) => r.namespace }]
        : []),
      { header: 'name', value: (r) => r.name },
      { header: 'age', value: (r) => r.age },
      { header: 'status', value: (r) => r.status },
    ],
    groupBy: (row) => row.status.replace(/ \(.*$/, '') || 'no status',
    continueToken: list.metadata?.continue,
    narrowWith: 'namespace, labelSelector or fieldSelector',
    key: 'items',
  });
}

export interface ResourceGetArguments {
  kind: string;
  apiVersion?: string | undefined;
  namespace?: string | undefined;
  name: string;
}

/** resource_get: one object of any kind as pruned YAML; a Secret shows its type and key names, never values. */
export async function getResource(
  kube: KubeClient,
  args: ResourceGetArguments,
  deniesKind?: ToolContext['deniesKind'],
): Promise<ToolResult> {
  const resource = await resolveOrExplain(kube, args, deniesKind);
  if (resource.namespaced && args.namespace === undefined) {
    throw new ToolFailure(
      `${resource.kind} is namespaced: pass namespace (resources_list with kind "${resource.kind}" shows where they are).`,
      {
        code: 'tool_input_invalid',
      },
    );
  }
  const namespace = resource.namespaced ? args.namespace : undefined;
  const raw = await getJson<AnyObject>(kube, { path: resourcePath(resource, { namespace, name: args.name }) }).catch(
    withNotFoundHint(
      `Use resources_list with kind "${resource.kind}"${namespace ? ` and namespace "${namespace}"` : ''} to see the names.`,
    ),
  );
  const object = pruneObject(isSecret(resource) ? hideSecretData(raw) : raw) as Record<string, unknown>;
  const where = namespace === undefined ? args.name : `${namespace}/${args.name}`;
  const note = isSecret(resource) ? '\n(Secret values are never returned: key names only.)' : '';
  return {
    text: [
      own(`${resource.kind} ${where} (${resource.apiVersion}):`),
      // Annotations, data, status messages: the whole object is cluster text.
      untrusted(`${resource.kind} ${where}`, stringify(object, { lineWidth: 0 }).trimEnd()),
      ...(note === '' ? [] : [own(note.trim())]),
    ],
    structuredContent: { object },
  };
}

const { namespace: _namespace, ...listRest } = listArguments;

export function resourceTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'resources_list',
      title: 'List resources of any kind',
      description:
        'Lists objects of any resource type the cluster serves, custom resources (CRDs) included, found through API discovery: ' +
        'name, namespace, age and status (phase or Ready condition), those needing attention first. Secrets show type and key ' +
        'names only.',
      inputSchema: {
        ...typeArguments,
        namespace: namespaceName.optional().describe('Namespace; all namespaces when omitted (ignored for cluster-scoped kinds).'),
        ...listRest,
      },
      annotations: READ_ONLY,
      handler: (args, { kube, deniesKind }) => listResources(kube, args, deniesKind),
    }),
    defineTool({
      name: 'resource_get',
      title: 'Get one resource of any kind',
      description:
        'Returns one object of any resource type, CRDs included, as YAML without managedFields, the last-applied annotation or ' +
        'empty fields. A Secret shows its type and key names, never its values.',
      inputSchema: {
        ...typeArguments,
        namespace: namespaceName.optional().describe('Namespace of the object; omit for cluster-scoped kinds.'),
        name: z.string().min(1).max(253).describe('Name of the object.'),
      },
      annotations: READ_ONLY,
      handler: (args, { kube, deniesKind }) => getResource(kube, args, deniesKind),
    }),
  ];
}
