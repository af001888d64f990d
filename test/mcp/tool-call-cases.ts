import assert from 'node:assert/strict';

export interface CaseTargets {
  /** Namespace of the objects below. */
  namespace: string;
  pod: string;
  container: string;
  deployment: string;
  /** A node name. */
  node: string;
  /** An alert firing in Alertmanager, for the monitoring tools (offered only with PROMETHEUS_URL / ALERTMANAGER_URL). */
  alertname?: string;
}

export type ToolCallCases = Record<string, Record<string, unknown>[]>;

/**
 * Broad but sensible arguments for every tool of the server, aimed at one namespace's objects. A tool
 * missing here fails the tests that iterate over tools/list, so a new tool cannot skip the leak and
 * budget checks: add its cases here. Write tools' cases are previews only (`dryRun: true`): the tests
 * share one cluster and one Alertmanager.
 */
export function toolCallCases({ namespace, pod, container, deployment, node, alertname = 'Watchdog' }: CaseTargets): ToolCallCases {
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
    health_summary: [{ ...inNs, top: 20 }, { top: 20 }],
    changes_list: [
      { ...inNs, since: '1d', limit: 200 },
      { since: '1d', limit: 200 },
      { ...inNs, kind: 'Deployment', name: deployment, since: '1d' },
    ],
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
      { kind: 'Namespace', name: namespace },
      { kind: 'Node', name: node },
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
    // Monitoring: every series and alert there is, not only the targets', since any exporter or rule can carry a credential.
    prometheus_query: [
      { query: 'app_info', limit: 500 },
      { query: '{__name__=~".+", job!="prometheus"}', limit: 500 },
      { query: 'up', time: 'now-10s' },
    ],
    prometheus_range_query: [
      { query: 'app_info', range: '5m', maxPoints: 500, maxSeries: 50 },
      { query: '{__name__=~".+", job!="prometheus"}', range: '1h', maxSeries: 50 },
    ],
    alerts_list: [{ limit: 200 }, { silenced: true, inhibited: true, limit: 200 }, { matchers: [`alertname="${alertname}"`] }],
    // Write tools: previews of changes to the targets.
    deployment_scale: [{ ...inNs, name: deployment, replicas: 3, dryRun: true }],
    rollout_restart: [{ kind: 'Deployment', ...inNs, name: deployment, dryRun: true }],
    rollout_undo: [{ ...inNs, name: deployment, dryRun: true }],
    pod_delete: [{ ...inNs, name: pod, dryRun: true }],
    node_cordon: [{ name: node, dryRun: true }],
    node_uncordon: [{ name: node, dryRun: true }],
    node_drain: [{ name: node, dryRun: true }],
    silence_create: [
      { matchers: [{ name: 'alertname', value: alertname }], duration: '1h', comment: 'canary check', dryRun: true },
      {
        matchers: [
          { name: 'severity', value: 'critical' },
          { name: 'alertname', value: '.+', isRegex: true },
        ],
        duration: '2h',
        comment: 'all critical',
        dryRun: true,
      },
    ],
  };
}

/** Fails naming every write case that could change something: tests call cases for real, so they must be previews. */
export function assertWriteCasesArePreviews(writeToolNames: readonly string[], cases: ToolCallCases): void {
  const applying = writeToolNames.flatMap((name) =>
    (cases[name] ?? []).filter((args) => args.dryRun !== true).map((args) => `${name} ${JSON.stringify(args)}`),
  );
  assert.deepEqual(applying, [], 'write tool cases must say dryRun: true');
}

/** Fails naming every listed tool that has no cases. */
export function assertEveryToolCovered(toolNames: readonly string[], cases: ToolCallCases): void {
  const missing = toolNames.filter((name) => (cases[name] ?? []).length === 0);
  assert.deepEqual(missing, [], `tools without call cases in test/mcp/tool-call-cases.ts: ${missing.join(', ')}`);
}
