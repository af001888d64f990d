import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { formatTable } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { own } from '../../result-parts.ts';

/**
 * The kubeconfig's contexts, the one in use marked. Only names: the context, its cluster, user and
 * namespace — never the server's credentials, tokens or certificates.
 */
export function listContexts(kube: KubeClient): ToolResult {
  const rows = kube.kubeConfig.getContexts().map((context) => ({
    current: context.name === kube.context,
    name: context.name,
    cluster: context.cluster,
    user: context.user,
    namespace: context.namespace ?? '',
  }));
  const table = formatTable(rows, [
    { header: 'current', value: (r) => (r.current ? '*' : '') },
    { header: 'name', value: (r) => r.name },
    { header: 'cluster', value: (r) => r.cluster },
    { header: 'user', value: (r) => r.user },
    { header: 'namespace', value: (r) => r.namespace },
  ]);
  return {
    // The kubeconfig is the operator's configuration, not cluster data.
    text: [own(`${rows.length} kubeconfig context${rows.length === 1 ? '' : 's'}; the tools use ${kube.context} (marked *).\n\n${table}`)],
    structuredContent: { current: kube.context, contexts: rows },
  };
}

export function contextTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'contexts_list',
      title: 'List kubeconfig contexts',
      description:
        'Lists the kubeconfig contexts the MCP server knows (name, cluster, user, default namespace), marking the one in use. ' +
        'No credentials are shown.',
      inputSchema: {},
      annotations: READ_ONLY,
      handler: (_args, { kube }) => Promise.resolve(listContexts(kube)),
    }),
  ];
}
