import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizeDeployment, type DeploymentRow } from '../../../kube/summarize-deployment.ts';
import { formatListResult } from '../../format-list-result.ts';
import { listPageWithinBudget } from '../../list-page-within-budget.ts';
import type { TableColumn } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { fetchListPage } from './fetch-list-page.ts';
import { listArguments, listQuery, scopeOf, type ListArguments } from './list-arguments.ts';

const deploymentColumns = (allNamespaces: boolean): TableColumn<DeploymentRow>[] => [
  ...(allNamespaces ? [{ header: 'namespace', value: (r: DeploymentRow) => r.namespace }] : []),
  { header: 'name', value: (r) => r.name },
  { header: 'ready', value: (r) => r.ready },
  { header: 'up-to-date', value: (r) => r.updated },
  { header: 'available', value: (r) => r.available },
  { header: 'age', value: (r) => r.age },
  { header: 'images', value: (r) => r.images },
  { header: 'problem', value: (r) => r.problem },
];

/** Lists deployments, unavailable ones first. Shared by deployments_list and `kubectl get deployments`. */
export function listDeployments(kube: KubeClient, args: ListArguments, budgetTokens?: number): Promise<ToolResult> {
  const namespace = args.namespace;
  const now = new Date();
  return listPageWithinBudget({
    limit: listQuery(args).limit,
    budgetTokens,
    fetch: fetchListPage<V1Deployment>({
      kube,
      args,
      all: (q) => kube.apps.listDeploymentForAllNamespaces(q),
      namespaced: (q) => kube.apps.listNamespacedDeployment(q),
    }),
    render: (page) =>
      formatListResult({
        noun: 'deployments',
        scope: scopeOf(namespace),
        rows: page.items.map((deployment) => summarizeDeployment(deployment, now)),
        columns: deploymentColumns(namespace === undefined),
        groupBy: (row) => (row.anomalous ? 'degraded' : 'available'),
        continueToken: page.continueToken,
        remaining: page.remaining,
        shortenedFrom: page.shortenedFrom,
        narrowWith: 'namespace or labelSelector',
        key: 'deployments',
      }),
  });
}

export function deploymentTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'deployments_list',
      title: 'List deployments',
      description:
        'Lists deployments in one namespace or all: ready/desired, up-to-date and available replicas, images, and the failing ' +
        'condition of degraded ones (listed first).',
      inputSchema: listArguments,
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => listDeployments(kube, args, outputTokens),
    }),
  ];
}
