import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { KubeNotFoundError } from '../../../kube/errors.ts';
import { ToolFailure } from '../../errors.ts';
import { z } from 'zod';
import { formatTable } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { namespaceName } from './list-arguments.ts';
import { own, untrusted } from '../../result-parts.ts';

interface Usage {
  cpu?: string;
  memory?: string;
}
interface MetricsItem {
  metadata?: { name?: string; namespace?: string };
  usage?: Usage;
  containers?: { name?: string; usage?: Usage }[];
}

const METRICS = { group: 'metrics.k8s.io', version: 'v1beta1' };

export interface TopOptions {
  resource: 'pods' | 'nodes';
  namespace?: string | undefined;
  labelSelector?: string | undefined;
}

/** CPU and memory use from the metrics API (metrics-server); a clear failure when it is not installed. */
export async function top(kube: KubeClient, { resource, namespace, labelSelector }: TopOptions): Promise<ToolResult> {
  const list = (await callKube(kube, () =>
    resource === 'nodes'
      ? kube.custom.listClusterCustomObject({ ...METRICS, plural: 'nodes', labelSelector })
      : namespace === undefined
        ? kube.custom.listClusterCustomObject({ ...METRICS, plural: 'pods', labelSelector })
        : kube.custom.listNamespacedCustomObject({ ...METRICS, namespace, plural: 'pods', labelSelector }),
  ).catch((error: unknown) => {
    if (error instanceof KubeNotFoundError) {
      throw new ToolFailure(
        'the metrics API (metrics.k8s.io) is not available in this cluster, so top cannot work (metrics-server is not installed). ' +
          'Use pods_list / nodes_list for status, or Prometheus if it is configured.',
        { cause: error },
      );
    }
    throw error;
  })) as { items?: MetricsItem[] };
  const rows = (list.items ?? []).map((item) => ({
    namespace: item.metadata?.namespace ?? '',
    name: item.metadata?.name ?? '',
    cpu: item.usage?.cpu ?? sum(item.containers, 'cpu'),
    memory: item.usage?.memory ?? sum(item.containers, 'memory'),
  }));
  if (rows.length === 0)
    return { text: [own(`No ${resource} metrics${namespace ? ` in namespace ${namespace}` : ''}.`)], structuredContent: { items: [] } };
  const table = formatTable(rows, [
    ...(resource === 'pods' && namespace === undefined ? [{ header: 'namespace', value: (r: (typeof rows)[number]) => r.namespace }] : []),
    { header: 'name', value: (r) => r.name },
    { header: 'cpu', value: (r) => r.cpu },
    { header: 'memory', value: (r) => r.memory },
  ]);
  return {
    text: [
      own(`${rows.length} ${resource} with metrics${namespace ? ` in namespace ${namespace}` : ''}:`),
      untrusted(`${resource} metrics from metrics.k8s.io`, table),
    ],
    structuredContent: { items: rows },
  };
}

/** Container usages joined ("12m+3m"): parsing Kubernetes quantities is not worth it for display. */
function sum(containers: MetricsItem['containers'], key: keyof Usage): string {
  return (containers ?? [])
    .map((c) => c.usage?.[key] ?? '')
    .filter((v) => v !== '')
    .join('+');
}

const labelSelector = z.string().max(1024).optional().describe('Label selector, e.g. "app=checkout".');

export function topTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'top_pods',
      title: 'Pod CPU and memory use',
      description:
        'Current CPU and memory use of pods from the metrics API (metrics-server), like `kubectl top pods`. Says so clearly ' +
        'when the cluster has no metrics API.',
      inputSchema: { namespace: namespaceName.optional().describe('Namespace; all namespaces when omitted.'), labelSelector },
      annotations: READ_ONLY,
      handler: ({ namespace, labelSelector }, { kube }) => top(kube, { resource: 'pods', namespace, labelSelector }),
    }),
    defineTool({
      name: 'top_nodes',
      title: 'Node CPU and memory use',
      description:
        'Current CPU and memory use of nodes from the metrics API (metrics-server), like `kubectl top nodes`. Says so clearly ' +
        'when the cluster has no metrics API.',
      inputSchema: { labelSelector },
      annotations: READ_ONLY,
      handler: ({ labelSelector }, { kube }) => top(kube, { resource: 'nodes', labelSelector }),
    }),
  ];
}
