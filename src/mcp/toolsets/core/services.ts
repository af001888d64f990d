import type { V1Service } from '@kubernetes/client-node';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizeService, type ServiceRow } from '../../../kube/summarize-service.ts';
import { formatListResult } from '../../format-list-result.ts';
import { listPageWithinBudget } from '../../list-page-within-budget.ts';
import type { TableColumn } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { fetchListPage } from './fetch-list-page.ts';
import { listArguments, listQuery, scopeOf, type ListArguments } from './list-arguments.ts';

const serviceColumns = (allNamespaces: boolean): TableColumn<ServiceRow>[] => [
  ...(allNamespaces ? [{ header: 'namespace', value: (r: ServiceRow) => r.namespace }] : []),
  { header: 'name', value: (r) => r.name },
  { header: 'type', value: (r) => r.type },
  { header: 'cluster-ip', value: (r) => r.clusterIP },
  { header: 'external-ip', value: (r) => r.externalIP },
  { header: 'ports', value: (r) => r.ports },
  { header: 'selector', value: (r) => r.selector },
  { header: 'age', value: (r) => r.age },
];

/** Lists services. Shared by services_list and `kubectl get services`. */
export function listServices(kube: KubeClient, args: ListArguments, budgetTokens?: number): Promise<ToolResult> {
  const namespace = args.namespace;
  const now = new Date();
  return listPageWithinBudget({
    limit: listQuery(args).limit,
    budgetTokens,
    fetch: fetchListPage<V1Service>({
      kube,
      args,
      all: (q) => kube.core.listServiceForAllNamespaces(q),
      namespaced: (q) => kube.core.listNamespacedService(q),
    }),
    render: (page) =>
      formatListResult({
        noun: 'services',
        scope: scopeOf(namespace),
        rows: page.items.map((service) => ({ ...summarizeService(service, now), anomalous: false })),
        columns: serviceColumns(namespace === undefined),
        groupBy: (row) => row.type,
        continueToken: page.continueToken,
        remaining: page.remaining,
        shortenedFrom: page.shortenedFrom,
        narrowWith: 'namespace or labelSelector',
        key: 'services',
      }),
  });
}

export function serviceTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'services_list',
      title: 'List services',
      description:
        'Lists services in one namespace or all, like `kubectl get services -o wide`: type, cluster IP, external IPs, ports and pod selector.',
      inputSchema: listArguments,
      annotations: READ_ONLY,
      handler: (args, { kube, outputTokens }) => listServices(kube, args, outputTokens),
    }),
  ];
}
