import assert from 'node:assert/strict';

export interface CaseTargets {
  /** Namespace of the objects below. */
  namespace: string;
  pod: string;
  container: string;
  deployment: string;
  /** A node name. */
  node: string;
}

export type ToolCallCases = Record<string, Record<string, unknown>[]>;

/**
 * Broad but sensible arguments for every tool of the server, aimed at one namespace's objects. A tool
 * missing here fails the tests that iterate over tools/list, so a new tool cannot skip the leak and
 * budget checks: add its cases here.
 */
export function toolCallCases({ namespace, pod, container, deployment, node }: CaseTargets): ToolCallCases {
  const inNs = { namespace };
  return {
    cluster_info: [{}],
    contexts_list: [{}],
    namespaces_list: [{ limit: 500 }],
    nodes_list: [{ limit: 500 }],
    pods_list: [{ ...inNs, limit: 500 }, { limit: 500 }],
    pod_logs: [
      { ...inNs, name: pod, container, tail: 5000, maxBytes: 65_536 },
      { ...inNs, name: pod, container, previous: true, tail: 5000, maxBytes: 65_536 },
    ],
    pod_get: [{ ...inNs, name: pod }],
    containers_list: [{ ...inNs, limit: 500 }],
    deployments_list: [{ ...inNs, limit: 500 }, { limit: 500 }],
    workload_get: [{ kind: 'Deployment', ...inNs, name: deployment }],
    rollout_history: [{ ...inNs, name: deployment }],
    services_list: [{ ...inNs, limit: 500 }],
    events_list: [{ ...inNs, limit: 500 }, { limit: 500 }],
    resources_list: [
      { kind: 'Secret', ...inNs, limit: 500 },
      { kind: 'ConfigMap', ...inNs, limit: 500 },
      { kind: 'Pod', ...inNs, limit: 500 },
      { kind: 'Event', ...inNs, limit: 500 },
    ],
    resource_get: [
      { kind: 'Pod', ...inNs, name: pod },
      { kind: 'Deployment', ...inNs, name: deployment },
      { kind: 'Node', name: node },
    ],
    top_pods: [inNs],
    top_nodes: [{}],
    diagnose: [
      { kind: 'Pod', ...inNs, name: pod },
      { kind: 'Deployment', ...inNs, name: deployment },
    ],
    kubectl: [
      { command: `kubectl get pods -n ${namespace}` },
      { command: 'kubectl get pods -A' },
      { command: `kubectl describe pod ${pod} -n ${namespace}` },
      { command: `kubectl describe deployment ${deployment} -n ${namespace}` },
      { command: `kubectl logs ${pod} -c ${container} -n ${namespace} --tail 5000` },
      { command: `kubectl get events -n ${namespace}` },
      { command: 'kubectl events -A' },
      { command: 'kubectl get nodes' },
    ],
  };
}

/** Fails naming every listed tool that has no cases. */
export function assertEveryToolCovered(toolNames: readonly string[], cases: ToolCallCases): void {
  const missing = toolNames.filter((name) => (cases[name] ?? []).length === 0);
  assert.deepEqual(missing, [], `tools without call cases in test/mcp/tool-call-cases.ts: ${missing.join(', ')}`);
}
