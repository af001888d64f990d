/** One MCP resource as data: what it is, and which read tools (with which arguments) make its content. */
export interface ResourceDefinition {
  name: string;
  title: string;
  description: string;
  /** A fixed URI, or an RFC 6570 template whose variables become the parts' arguments. */
  uri: string;
  /** Tool calls whose results, in order, are the resource's text; a part whose tool is not offered is left out. */
  parts(variables: Record<string, string>): { tool: string; args: Record<string, unknown> }[];
}

/** The resources the server offers, one explicit list. */
export function allResources(): ResourceDefinition[] {
  return [
    {
      name: 'cluster_overview',
      title: 'Cluster overview',
      description: 'The cluster at a glance: version, nodes and their conditions, namespaces with pods that are not running.',
      uri: 'ai4k8s://cluster/overview',
      parts: () => [
        { tool: 'cluster_info', args: {} },
        { tool: 'nodes_list', args: {} },
        { tool: 'namespaces_list', args: {} },
      ],
    },
    {
      name: 'namespace_health',
      title: "A namespace's health",
      description: 'Pods (failing ones first), deployments and recent Warning events of one namespace.',
      uri: 'ai4k8s://namespaces/{namespace}/health',
      parts: ({ namespace = '' }) => [
        { tool: 'pods_list', args: { namespace } },
        { tool: 'deployments_list', args: { namespace } },
        { tool: 'events_list', args: { namespace, type: 'Warning' } },
      ],
    },
  ];
}
