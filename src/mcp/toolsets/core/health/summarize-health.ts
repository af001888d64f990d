import type { V1DaemonSet, V1Deployment, V1LabelSelector, V1Node, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { formatAge } from '../../../../kube/format-age.ts';
import { isPodAnomalous, podRestarts, podStatus } from '../../../../kube/pod-status.ts';
import { summarizeDeployment } from '../../../../kube/summarize-deployment.ts';
import { summarizeNode } from '../../../../kube/summarize-node.ts';
import { LIST_CAP, type HealthContent } from '../../../../contract/health-content.ts';

export interface HealthObjects {
  namespace: string | undefined;
  pods: V1Pod[];
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  /** Undefined for a one-namespace summary. */
  nodes: V1Node[] | undefined;
  notes: string[];
  /** Pods listed in "most restarts". */
  top: number;
  now?: Date;
}

const REASON_CHARS = 160;

/**
 * The health of a namespace or the cluster, from plain objects: workloads with fewer ready replicas than
 * wanted (with what their unhealthy pods say), pending pods and why, NotReady nodes, and the pods that
 * restarted most. Linear in the number of objects.
 */
export function summarizeHealth({
  namespace,
  pods,
  deployments,
  statefulSets,
  daemonSets,
  nodes,
  notes,
  top,
  now = new Date(),
}: HealthObjects): HealthContent {
  const podsByNamespace = new Map<string, V1Pod[]>();
  for (const pod of pods) {
    const ns = pod.metadata?.namespace ?? '';
    const list = podsByNamespace.get(ns);
    if (list === undefined) podsByNamespace.set(ns, [pod]);
    else list.push(pod);
  }
  const reasonsOf = (ns: string, selector: V1LabelSelector | undefined): string[] => {
    const counts = new Map<string, number>();
    for (const pod of podsByNamespace.get(ns) ?? []) {
      if (!selects(selector, pod.metadata?.labels ?? {}) || !isPodAnomalous(pod)) continue;
      const status = podStatus(pod);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    return [...counts].map(([status, count]) => (count > 1 ? `${status} ×${count}` : status));
  };
  const failing: HealthContent['failingWorkloads'] = [];
  for (const deployment of deployments) {
    const row = summarizeDeployment(deployment, now);
    if (row.anomalous)
      failing.push({
        kind: 'Deployment',
        namespace: row.namespace,
        name: row.name,
        ready: row.ready,
        reasons: reasonsOf(row.namespace, deployment.spec?.selector),
      });
  }
  for (const set of statefulSets) {
    const desired = set.spec?.replicas ?? 1;
    const ready = set.status?.readyReplicas ?? 0;
    const ns = set.metadata?.namespace ?? '';
    if (ready < desired)
      failing.push({
        kind: 'StatefulSet',
        namespace: ns,
        name: set.metadata?.name ?? '',
        ready: `${ready}/${desired}`,
        reasons: reasonsOf(ns, set.spec?.selector),
      });
  }
  for (const set of daemonSets) {
    const desired = set.status?.desiredNumberScheduled ?? 0;
    const ready = set.status?.numberReady ?? 0;
    const ns = set.metadata?.namespace ?? '';
    if (ready < desired)
      failing.push({
        kind: 'DaemonSet',
        namespace: ns,
        name: set.metadata?.name ?? '',
        ready: `${ready}/${desired}`,
        reasons: reasonsOf(ns, set.spec?.selector),
      });
  }
  const pendingPods = pods
    .filter((pod) => pod.status?.phase === 'Pending')
    .map((pod) => {
      const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const waiting = (pod.status?.containerStatuses ?? []).find((c) => c.state?.waiting?.reason !== undefined)?.state?.waiting?.reason;
      const reason =
        scheduled === undefined
          ? (waiting ?? podStatus(pod))
          : `${scheduled.reason ?? 'Unschedulable'}${scheduled.message ? `: ${scheduled.message}` : ''}`;
      return {
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        age: formatAge(pod.metadata?.creationTimestamp, now),
        reason: reason.replace(/\s+/g, ' ').slice(0, REASON_CHARS),
      };
    });
  const notReadyNodes = (nodes ?? [])
    .map((node) => summarizeNode(node, now))
    .filter((row) => !row.status.startsWith('Ready'))
    .map((row) => ({ name: row.name, status: row.status }));
  const topRestarts = pods
    .map((pod) => ({ pod, restarts: podRestarts(pod).restarts }))
    .filter(({ restarts }) => restarts > 0)
    .sort((a, b) => b.restarts - a.restarts)
    .slice(0, top)
    .map(({ pod, restarts }) => {
      const last = (pod.status?.containerStatuses ?? []).flatMap((c) =>
        c.lastState?.terminated === undefined
          ? []
          : [`${c.name}: ${c.lastState.terminated.reason ?? 'Terminated'} (exit ${c.lastState.terminated.exitCode})`],
      );
      return {
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        restarts,
        status: podStatus(pod),
        ...(last.length === 0 ? {} : { lastTermination: last.join('; ') }),
      };
    });
  return {
    scope: namespace === undefined ? {} : { namespace },
    failingWorkloads: failing.slice(0, LIST_CAP),
    pendingPods: pendingPods.slice(0, LIST_CAP),
    notReadyNodes: notReadyNodes.slice(0, LIST_CAP),
    nodesChecked: nodes !== undefined,
    topRestarts,
    counts: { failingWorkloads: failing.length, pendingPods: pendingPods.length, notReadyNodes: notReadyNodes.length },
    notes,
  };
}

/** Whether a label selector selects these labels (matchLabels and matchExpressions). */
function selects(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  if (matchLabels.length === 0 && (selector.matchExpressions ?? []).length === 0) return false;
  if (!matchLabels.every(([key, value]) => labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    if (operator === 'In') return value !== undefined && values.includes(value);
    if (operator === 'NotIn') return value === undefined || !values.includes(value);
    if (operator === 'Exists') return value !== undefined;
    return value === undefined;
  });
}
