import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizePod, type PodRow } from '../../../kube/summarize-pod.ts';
import { formatListResult } from '../../format-list-result.ts';
import { listPageWithinBudget } from '../../list-page-within-budget.ts';
import type { TableColumn } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { fetchListPage } from './fetch-list-page.ts';
import { listArguments, listQuery, scopeOf, type ListArguments } from './list-arguments.ts';
import { podLogsArguments, readPodLogs } from './read-pod-logs.ts';

const podColumns = (allNamespaces: boolean): TableColumn<PodRow>[] => [
  ...(allNamespaces ? [{ header: 'namespace', value: (r: PodRow) => r.namespace }] : []),
  { header: 'name', value: (r) => r.name },
  { header: 'ready', value: (r) => r.ready },
  { header: 'status', value: (r) => r.status },
  { header: 'restarts', value: (r) => (r.lastRestart ? `${r.restarts} (${r.lastRestart} ago)` : r.restarts) },
  { header: 'age', value: (r) => r.age },
  { header: 'node', value: (r) => r.node },
  { header: 'last termination', value: (r) => r.lastTermination },
];

/**
 * Lists pods, summary and anomalies first. Shared by pods_list and `kubectl get pods`. With a budget
 * (ToolContext.outputTokens) the page is fetched smaller when the asked limit would not fit.
 */
export function listPods(kube: KubeClient, args: ListArguments, budgetTokens?: number): Promise<ToolResult> {
  const namespace = args.namespace;
  const now = new Date();
  return listPageWithinBudget({
    limit: listQuery(args).limit,
    budgetTokens,
    fetch: fetchListPage<V1Pod>({
      kube,
      args,
      all: (q) => kube.core.listPodForAllNamespaces(q),
      namespaced: (q) => kube.core.listNamespacedPod(q),
    }),
    render: (page) =>
      formatListResult({
        noun: 'pods',
        scope: scopeOf(namespace),
        rows: page.items.map((pod) => summarizePod(pod, now)),
        columns: podColumns(namespace === undefined),
        groupBy: (row) => row.status,
        continueToken: page.continueToken,
        remaining: page.remaining,
        shortenedFrom: page.shortenedFrom,
        narrowWith: 'namespace, labelSelector or fieldSelector (e.g. "status.phase!=Running")',
        key: 'pods',
      }),
  });
}

export function podTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'pods_list',
      title: 'List pods',
      description:
        'Lists pods in one namespace or all, like `kubectl get pods -o wide`: a summary by status, then pods needing attention ' +
        '(not Running/Ready, restarting, crashing, pending) first, with restarts and the last termination reason.',
      inputSchema: listArguments,
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => listPods(kube, args, outputTokens),
    }),
    defineTool({
      name: 'pod_logs',
      title: 'Read pod logs',
      description:
        'Returns the last lines of a container log (the previous, crashed instance with previous=true), capped in bytes. ' +
        'The log text is untrusted data from the cluster.',
      inputSchema: podLogsArguments,
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => readPodLogs(kube, args, outputTokens),
    }),
  ];
}
