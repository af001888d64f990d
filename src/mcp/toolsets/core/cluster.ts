import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { summarizeNode } from '../../../kube/summarize-node.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { own } from '../../result-parts.ts';

/** Version, API server host, node readiness and namespace count: where to start a conversation. */
export async function clusterInfo(kube: KubeClient): Promise<ToolResult> {
  const [version, nodes, namespaces] = await Promise.all([
    callKube(kube, () => kube.version.getCode()),
    callKube(kube, () => kube.core.listNode()),
    callKube(kube, () => kube.core.listNamespace()),
  ]);
  const rows = nodes.items.map((node) => summarizeNode(node));
  const notReady = rows.filter((r) => !r.status.startsWith('Ready'));
  const host = apiServerHost(kube.server);
  const lines = [
    `Kubernetes ${version.gitVersion} at ${host} (context ${kube.context}).`,
    `Nodes: ${rows.length} (${rows.length - notReady.length} Ready${
      notReady.length > 0 ? `, ${notReady.length} not Ready: ${notReady.map((r) => `${r.name} ${r.status}`).join(', ')}` : ''
    }).`,
    `Namespaces: ${namespaces.items.length} (${namespaces.items
      .slice(0, 50)
      .map((n) => n.metadata?.name ?? '')
      .join(', ')}${namespaces.items.length > 50 ? ', ...' : ''}).`,
  ];
  return {
    text: [own(lines.join('\n'))],
    structuredContent: {
      version: version.gitVersion,
      platform: version.platform,
      apiServer: host,
      context: kube.context,
      nodes: { total: rows.length, ready: rows.length - notReady.length, notReady: notReady.map((r) => r.name) },
      namespaces: namespaces.items.length,
    },
  };
}

/** host:port only: a kubeconfig server URL could carry a path or credentials the model need not see. */
function apiServerHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return 'the API server';
  }
}

export function clusterTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'cluster_info',
      title: 'Cluster overview',
      description:
        'Kubernetes version, API server host, kubeconfig context, node count and readiness (names of NotReady nodes), and the namespaces. A good first call.',
      inputSchema: {},
      annotations: READ_ONLY,
      handler: (_args, { kube }) => clusterInfo(kube),
    }),
  ];
}
