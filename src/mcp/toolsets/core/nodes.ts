import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizeNode, type NodeRow } from '../../../kube/summarize-node.ts';
import { formatListResult } from '../../format-list-result.ts';
import type { TableColumn } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { listArguments, listQuery, type ListArguments } from './list-arguments.ts';

const nodeColumns: TableColumn<NodeRow>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status },
  { header: 'roles', value: (r) => r.roles },
  { header: 'age', value: (r) => r.age },
  { header: 'version', value: (r) => r.version },
  { header: 'problems', value: (r) => r.problems },
];

/** Lists nodes, NotReady and under pressure first. Shared by nodes_list and `kubectl get nodes`. */
export async function listNodes(kube: KubeClient, args: Omit<ListArguments, 'namespace'>): Promise<ToolResult> {
  const list = await callKube(kube, () => kube.core.listNode(listQuery(args)));
  const now = new Date();
  return formatListResult({
    noun: 'nodes',
    scope: 'in the cluster',
    rows: list.items.map((node) => summarizeNode(node, now)),
    columns: nodeColumns,
    groupBy: (row) => row.status,
    continueToken: list.metadata?._continue,
    narrowWith: 'labelSelector',
    key: 'nodes',
  });
}

const { namespace: _namespace, ...nodeListArguments } = listArguments;

export function nodeTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'nodes_list',
      title: 'List nodes',
      description:
        'Lists the cluster nodes like `kubectl get nodes`: Ready/NotReady, cordoned, roles, kubelet version, and pressure ' +
        'conditions (MemoryPressure, DiskPressure, PIDPressure); unhealthy nodes first.',
      inputSchema: { ...nodeListArguments, labelSelector: z.string().max(1024).optional().describe('Label selector, e.g. "node-role.kubernetes.io/control-plane".') },
      annotations: READ_ONLY,
      handler: (args, { kube }) => listNodes(kube, args),
    }),
  ];
}
