/**
 * The MCP tools the worker side calls or reads by name (direct mode, the alert timeline, digests, range-query
 * graphs, channel policy). The MCP server names these tools with the same constants, and a test holds every name
 * here to a tool the server offers, so a rename on one side fails the build instead of a call at run time.
 */
export const TOOL_NAMES = {
  kubectl: 'kubectl',
  clusterInfo: 'cluster_info',
  changesList: 'changes_list',
  healthSummary: 'health_summary',
  alertsList: 'alerts_list',
  prometheusRangeQuery: 'prometheus_range_query',
} as const;

export type ContractToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];
