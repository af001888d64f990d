import type { V1Node, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { formatAge } from '../../kube/format-age.ts';
import { readableMemory } from '../../kube/readable-memory.ts';
import type { Evidence } from '../evidence.ts';
import { conditionLine, conditionOf, quoteLine, refLabel, selectorMatches, type ObjectRef } from '../kube-object.ts';
import { eventFact, eventsWith, podConditionFalse, podName, podRef } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

const PRESSURES = ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'NetworkUnavailable'] as const;

function nodeOf(ev: Evidence, name: string | undefined): V1Node | undefined {
  return name === undefined ? undefined : ev.get<V1Node>({ kind: 'Node', name });
}

function since(value: Date | string | undefined, now: Date): string {
  return value === undefined ? '' : ` since ${formatAge(value, now)} ago`;
}

function taintsText(node: V1Node): string {
  const taints = node.spec?.taints ?? [];
  return taints.length === 0
    ? 'no taints'
    : `taints ${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`;
}

/** A pod on a node that stopped reporting: its containers' last state is stale, whatever it says. */
export const nodeNotReady: DiagnosisRule = {
  id: 'node-not-ready',
  failureClass: 'Node NotReady (pods on it unavailable, their status stale)',
  needs: ['nodes', 'events'],
  detect(ev) {
    const findings: Finding[] = [];
    if (ev.subject.kind === 'Node') {
      const node = ev.get<V1Node>(ev.subject);
      const ready = conditionOf(node, 'Ready');
      if (node !== undefined && ready !== undefined && ready.status !== 'True') {
        findings.push({
          rule: this.id,
          about: ev.subject,
          cause: `node ${ev.subject.name} is NotReady (${conditionLine(ready)})${since(ready.lastTransitionTime, ev.now)}: its ${ev.pods.length} pods are not served and are evicted once their tolerations run out`,
          facts: [
            taintsText(node),
            ...eventsWith(ev, ev.subject, ['NodeNotReady', 'NodeStatusUnknown'])
              .slice(0, 2)
              .map((e) => eventFact(e, ev.now)),
          ],
          fix: 'check the machine and its kubelet (is it running, can it reach the API server?); drain or replace the node if it does not come back',
        });
      }
    }
    for (const pod of ev.examined) {
      const nodeName = pod.spec?.nodeName;
      const node = nodeOf(ev, nodeName);
      const ready = conditionOf(node, 'Ready');
      const podEvents = eventsWith(ev, podRef(pod), ['NodeNotReady']);
      const nodeDown = ready !== undefined ? ready.status !== 'True' : podEvents.length > 0;
      if (nodeName === undefined || !nodeDown) continue;
      const podReady = podConditionFalse(pod, 'Ready');
      const containersReady = (pod.status?.containerStatuses ?? []).every((c) => c.ready);
      findings.push({
        rule: this.id,
        about: podRef(pod),
        cause: `pod ${podName(pod)} runs on node ${nodeName}, which is NotReady${ready === undefined ? '' : ` (${conditionLine(ready, 120)})`}${since(ready?.lastTransitionTime, ev.now)}: it serves no traffic${containersReady ? ", though its containers still show the kubelet's last report (ready)" : ''}`,
        facts: [
          ...(podReady === undefined
            ? []
            : [`pod condition Ready=False${podReady.reason ? ` (${podReady.reason})` : ''}${since(podReady.since, ev.now)}`]),
          ...podEvents.slice(0, 1).map((e) => eventFact(e, ev.now)),
          ...(node === undefined ? [] : [`node ${nodeName} has ${taintsText(node)}`]),
          ...(pod.spec?.tolerations ?? [])
            .filter((t) => t.effect === 'NoExecute' && t.tolerationSeconds !== undefined && /unreachable|not-ready/.test(t.key ?? ''))
            .slice(0, 1)
            .map((t) => `the pod tolerates ${t.key} for ${t.tolerationSeconds}s before it is evicted`),
        ],
        fix: `get node ${nodeName} back (kubelet, network), or delete the pod so its controller recreates it on a Ready node`,
      });
    }
    return findings;
  },
};

/** A pod the kubelet evicted to reclaim a resource. */
export const podEvicted: DiagnosisRule = {
  id: 'pod-evicted',
  failureClass: 'Pod evicted by node pressure',
  needs: ['pods'],
  detect(ev) {
    return ev.examined.flatMap((pod): Finding[] => {
      if (pod.status?.reason !== 'Evicted') return [];
      const message = pod.status.message ?? '';
      const resource = /low on resource: ([\w][\w./-]*\w)/.exec(message)?.[1];
      const usage = /Container ([\w.-]+) was using (\w+), request is (\w+)/.exec(message);
      const node = nodeOf(ev, pod.spec?.nodeName);
      const pressure = PRESSURES.map((type) => conditionOf(node, type)).find((c) => c?.status === 'True');
      const container = usage?.[1] === undefined ? undefined : pod.spec?.containers.find((c) => c.name === usage[1]);
      const hasLimit =
        resource !== undefined &&
        (container?.resources?.limits?.[resource] !== undefined || container?.resources?.requests?.[resource] !== undefined);
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `pod ${podName(pod)} was evicted by node ${pod.spec?.nodeName ?? '?'}${resource ? `: the node ran low on ${resource}` : ''}${pressure ? ` (${pressure.type})` : ''}${usage ? `; container ${usage[1]} was using ${readableMemory(usage[2] ?? '')} (request ${usage[3]})` : ''}`,
          facts: [
            `pod status: Failed (Evicted): ${quoteLine(message, 400)}`,
            ...(pressure === undefined
              ? []
              : [`node ${pod.spec?.nodeName ?? ''} reports ${conditionLine(pressure)}${since(pressure.lastTransitionTime, ev.now)}`]),
            ...(container !== undefined && resource !== undefined && !hasLimit
              ? [`container ${container.name} sets no ${resource} request or limit`]
              : []),
          ],
          fix:
            resource === 'ephemeral-storage'
              ? "bound the container's disk use (an ephemeral-storage limit, log rotation, an emptyDir sizeLimit) and free space on the node"
              : `set requests close to real use so the scheduler and the kubelet account for it; free ${resource ?? 'the resource'} on the node`,
        },
      ];
    });
  },
};

/** The subject node reports pressure: the kubelet evicts pods and the scheduler avoids it. */
export const nodePressure: DiagnosisRule = {
  id: 'node-pressure',
  failureClass: 'Node DiskPressure / MemoryPressure / PIDPressure',
  needs: ['nodes', 'pods', 'events'],
  detect(ev) {
    if (ev.subject.kind !== 'Node') return [];
    const node = ev.get<V1Node>(ev.subject);
    const pressures = PRESSURES.map((type) => conditionOf(node, type)).filter((c) => c?.status === 'True');
    if (node === undefined || pressures.length === 0) return [];
    const evicted = ev.pods.filter((p) => p.status?.reason === 'Evicted');
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `node ${ev.subject.name} has ${pressures.map((c) => `${c?.type ?? ''}${since(c?.lastTransitionTime, ev.now)}`).join(' and ')}: the kubelet evicts pods to reclaim it (${evicted.length} evicted so far) and the node is tainted against new pods`,
        facts: [
          ...pressures.map((c) => (c === undefined ? '' : conditionLine(c))),
          taintsText(node),
          ...evicted
            .slice(0, 3)
            .map((p) => `evicted pod ${p.metadata?.namespace ?? ''}/${podName(p)} (${quoteLine(p.status?.message ?? '', 300)})`),
          ...eventsWith(ev, ev.subject, ['EvictionThresholdMet', 'FreeDiskSpaceFailed', 'SystemOOM', 'ImageGCFailed'])
            .slice(0, 3)
            .map((e) => eventFact(e, ev.now)),
        ],
        fix: 'free the resource on the node (clean images and logs, move heavy pods away) and bound what pods may use (limits, ephemeral-storage limits)',
      },
    ];
  },
};

/** The subject node is cordoned for a drain, and a disruption budget forbids evicting a pod on it. */
export const drainBlockedByPdb: DiagnosisRule = {
  id: 'drain-blocked-by-pdb',
  failureClass: 'Node drain blocked by a PodDisruptionBudget',
  needs: ['nodes', 'pods', 'disruptionbudgets'],
  detect(ev) {
    if (ev.subject.kind !== 'Node') return [];
    const node = ev.get<V1Node>(ev.subject);
    if (node?.spec?.unschedulable !== true) return [];
    const budgets = ev.listed<V1PodDisruptionBudget>('disruptionBudgets') ?? [];
    const blocked: { pod: string; budget: V1PodDisruptionBudget }[] = [];
    for (const pod of ev.pods) {
      const owner = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
      if (owner?.kind === 'DaemonSet' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const budget = budgets.find(
        (b) =>
          b.metadata?.namespace === pod.metadata?.namespace &&
          selectorMatches(b.spec?.selector, pod.metadata?.labels) &&
          (b.status?.disruptionsAllowed ?? 0) === 0,
      );
      if (budget !== undefined) blocked.push({ pod: `${pod.metadata?.namespace ?? ''}/${podName(pod)}`, budget });
    }
    const first = blocked[0];
    if (first === undefined) return [];
    const b = first.budget;
    const rule =
      b.spec?.minAvailable !== undefined ? `minAvailable ${b.spec.minAvailable}` : `maxUnavailable ${b.spec?.maxUnavailable ?? '?'}`;
    const taint = node.spec.taints?.find((t) => t.key === 'node.kubernetes.io/unschedulable');
    const budgetRef: ObjectRef = { kind: 'PodDisruptionBudget', namespace: b.metadata?.namespace, name: b.metadata?.name ?? '' };
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `the drain of node ${ev.subject.name} is blocked: ${refLabel(budgetRef)} allows 0 disruptions for pod ${first.pod} (${rule}, ${b.status?.currentHealthy ?? '?'} healthy of ${b.status?.expectedPods ?? '?'} expected), so its eviction is refused`,
        facts: [
          `node ${ev.subject.name} is cordoned (spec.unschedulable: true${taint ? `, taint ${taint.key}:${taint.effect}${since(taint.timeAdded, ev.now)}` : ''})`,
          `pods still on it: ${ev.pods
            .filter((p) => p.status?.phase === 'Running')
            .map((p) => `${p.metadata?.namespace ?? ''}/${podName(p)}`)
            .slice(0, 8)
            .join(', ')}`,
          ...blocked.map(
            ({ pod, budget }) =>
              `pod ${pod} is covered by PodDisruptionBudget ${budget.metadata?.name ?? ''} (disruptionsAllowed ${budget.status?.disruptionsAllowed ?? 0}, desiredHealthy ${budget.status?.desiredHealthy ?? '?'})`,
          ),
        ],
        fix: `add a replica so the budget has room (or relax ${rule} for the maintenance), then the eviction succeeds; never delete the pod by hand to force it`,
      },
    ];
  },
};

export const nodeRules: DiagnosisRule[] = [drainBlockedByPdb, nodePressure, nodeNotReady, podEvicted];
