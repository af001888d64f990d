import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { isContainerAnomalous, summarizeContainers, type ContainerRow } from '../../../kube/summarize-containers.ts';
import { formatListResult } from '../../format-list-result.ts';
import { listPageWithinBudget } from '../../list-page-within-budget.ts';
import type { TableColumn } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { fetchListPage } from './fetch-list-page.ts';
import { listArguments, listQuery, scopeOf, type ListArguments } from './list-arguments.ts';

type Row = ContainerRow & { anomalous: boolean };

const containerColumns = (allNamespaces: boolean): TableColumn<Row>[] => [
  ...(allNamespaces ? [{ header: 'namespace', value: (r: Row) => r.namespace }] : []),
  { header: 'pod', value: (r) => r.pod },
  { header: 'container', value: (r) => (r.kind === 'init' ? `${r.container} (init)` : r.container) },
  { header: 'image', value: (r) => r.image },
  { header: 'state', value: (r) => r.state },
  { header: 'ready', value: (r) => r.ready },
  { header: 'restarts', value: (r) => r.restarts },
  { header: 'last termination', value: (r) => r.lastTermination },
];

/** Lists containers, one row each, failing ones first: the cluster's `docker ps -a`. */
export function listContainers(kube: KubeClient, args: ListArguments, budgetTokens?: number): Promise<ToolResult> {
  const namespace = args.namespace;
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
        noun: 'containers',
        scope: scopeOf(namespace),
        rows: page.items.flatMap((pod) => summarizeContainers(pod)).map((row) => ({ ...row, anomalous: isContainerAnomalous(row) })),
        columns: containerColumns(namespace === undefined),
        groupBy: (row) => row.state.replace(/ \(exit \d+\)$/, ''),
        continueToken: page.continueToken,
        // remainingItemCount counts pods, not containers: not shown.
        shortenedFrom: page.shortenedFrom,
        narrowWith: 'namespace, labelSelector or fieldSelector (limit counts pods, not containers)',
        key: 'containers',
      }),
  });
}

export function containerTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'containers_list',
      title: 'List containers',
      description:
        'Lists every container of the pods in one namespace or all, one row each: pod, image, state, ready, restarts and ' +
        'the last termination reason with exit code (e.g. OOMKilled exit 137). Failing containers first.',
      inputSchema: listArguments,
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => listContainers(kube, args, outputTokens),
    }),
  ];
}
