import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizeNode, type NodeRow } from '../../../kube/summarize-node.ts';
import { formatListResult } from '../../format-list-result.ts';
import { listPageWithinBudget, pageOf } from '../../list-page-within-budget.ts';
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
  { header: 'taints', value: (r) => r.taints },
  { header: 'cpu', value: (r) => r.cpu },
  { header: 'memory', value: (r) => r.memory },
  { header: 'pods', value: (r) => r.pods },
];

/** Lists nodes, NotReady and under pressure first. Shared by nodes_list and `kubectl get nodes`. */
export function listNodes(kube: KubeClient, args: Omit<ListArguments, 'namespace'>, budgetTokens?: number): Promise<ToolResult> {
  const now = new Date();
  return listPageWithinBudget({
    limit: listQuery(args).limit,
    budgetTokens,
    fetch: async (limit) => pageOf(await callKube(kube, () => kube.core.listNode({ ...listQuery(args), limit }))),
    render: (page) =>
      formatListResult({
        noun: 'nodes',
        scope: 'in the cluster',
        rows: page.items.map((node) => summarizeNode(node, now)),
        columns: nodeColumns,
        groupBy: (row) => row.status,
        continueToken: page.continueToken,
        remaining: page.remaining,
        shortenedFrom: page.shortenedFrom,
        narrowWith: 'labelSelector',
        key: 'nodes',
      }),
  });
}

const { namespace: _namespace, ...nodeListArguments } = listArguments;

export function nodeTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'nodes_list',
      title: 'List nodes',
      description:
        'Lists the cluster nodes like `kubectl get nodes`: Ready/NotReady, cordoned, roles, kubelet version, conditions that ' +
        'are True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable), taints, and allocatable cpu, memory and ' +
        'pods; unhealthy nodes first.',
      inputSchema: {
        ...nodeListArguments,
        labelSelector: z.string().max(1024).optional().describe('Label selector, e.g. "node-role.kubernetes.io/control-plane".'),
      },
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => listNodes(kube, args, outputTokens),
    }),
  ];
}
