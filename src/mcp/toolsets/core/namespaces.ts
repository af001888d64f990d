import type { V1Namespace } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { formatAge } from '../../../kube/format-age.ts';
import { getJson } from '../../../kube/get-json.ts';
import { formatListResult } from '../../format-list-result.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { listArguments, listQuery, type ListArguments } from './list-arguments.ts';

/** Metadata only: counting pods should not pull every pod spec across the wire. */
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
/** Pods counted per call; past this the counts say "at least". */
const POD_COUNT_LIMIT = 5_000;

interface PodCounts {
  byNamespace: Map<string, number>;
  complete: boolean;
}

interface NamespaceRow {
  name: string;
  status: string;
  age: string;
  pods: string;
  /** Pods whose phase is Pending, Failed or Unknown. */
  notRunning: string;
  anomalous: boolean;
}

/** Namespaces with their phase and pod counts; Terminating ones and those with stuck pods first. */
export async function listNamespaces(kube: KubeClient, args: Omit<ListArguments, 'namespace'>): Promise<ToolResult> {
  const [list, all, stuck] = await Promise.all([
    callKube(kube, () => kube.core.listNamespace(listQuery(args))),
    countPods(kube),
    countPods(kube, 'status.phase!=Running,status.phase!=Succeeded'),
  ]);
  const now = new Date();
  const count = (counts: PodCounts, name: string) => `${counts.byNamespace.get(name) ?? 0}${counts.complete ? '' : '+'}`;
  const rows = list.items.map((namespace: V1Namespace): NamespaceRow => {
    const name = namespace.metadata?.name ?? '';
    const status = namespace.status?.phase ?? 'Unknown';
    return {
      name,
      status,
      age: formatAge(namespace.metadata?.creationTimestamp, now),
      pods: count(all, name),
      notRunning: count(stuck, name),
      anomalous: status !== 'Active' || (stuck.byNamespace.get(name) ?? 0) > 0,
    };
  });
  return formatListResult({
    noun: 'namespaces',
    scope: 'in the cluster',
    rows,
    columns: [
      { header: 'name', value: (r) => r.name },
      { header: 'status', value: (r) => r.status },
      { header: 'age', value: (r) => r.age },
      { header: 'pods', value: (r) => r.pods },
      { header: 'pending/failed pods', value: (r) => (r.notRunning === '0' ? '' : r.notRunning) },
    ],
    groupBy: (row) => row.status,
    continueToken: list.metadata?._continue,
    narrowWith: 'labelSelector',
    key: 'namespaces',
  });
}

async function countPods(kube: KubeClient, fieldSelector?: string): Promise<PodCounts> {
  const list = await getJson<{ items?: { metadata?: { namespace?: string } }[]; metadata?: { continue?: string } }>(kube, {
    path: '/api/v1/pods',
    query: { limit: POD_COUNT_LIMIT, fieldSelector },
    accept: METADATA_LIST,
  });
  const byNamespace = new Map<string, number>();
  for (const item of list.items ?? []) {
    const namespace = item.metadata?.namespace ?? '';
    byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + 1);
  }
  return { byNamespace, complete: !list.metadata?.continue };
}

const { namespace: _namespace, fieldSelector: _fieldSelector, ...namespaceListArguments } = listArguments;

export function namespaceTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'namespaces_list',
      title: 'List namespaces',
      description:
        'Lists namespaces with their phase (Active/Terminating), age, number of pods, and number of pods that are Pending, ' +
        'Failed or Unknown; namespaces needing attention first.',
      inputSchema: namespaceListArguments,
      annotations: READ_ONLY,
      handler: (args, { kube }) => listNamespaces(kube, args),
    }),
  ];
}
