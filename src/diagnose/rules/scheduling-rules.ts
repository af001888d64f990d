import type { V1Node, V1NodeSelectorRequirement, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { readableMemory } from '../../kube/readable-memory.ts';
import type { Evidence } from '../evidence.ts';
import { conditionOf, mapSelectorString, quoteLine } from '../kube-object.ts';
import { parseQuantity } from '../quantity.ts';
import { eventFact, eventsWith, podName, podRef } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

/** The scheduler's reason for a pod it could not place, without the preemption epilogue. */
export function schedulerMessage(pod: V1Pod): string | undefined {
  const c = conditionOf(pod, 'PodScheduled');
  if (c === undefined || c.status !== 'False' || pod.spec?.nodeName !== undefined) return undefined;
  return (c.message ?? c.reason ?? 'no reason given').split(/\.\s*preemption:/i)[0]?.trim();
}

function unscheduledPods(ev: Evidence): { pod: V1Pod; message: string }[] {
  return ev.examined.flatMap((pod) => {
    const message = schedulerMessage(pod);
    return message === undefined ? [] : [{ pod, message }];
  });
}

function schedulerFact(message: string): string {
  return `scheduler: "${quoteLine(message, 500)}"`;
}

/** Does the node carry the labels the pod's nodeSelector and required node affinity ask for? */
export function nodeMatchesPod(node: V1Node, pod: V1Pod): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined || terms.length === 0) return true;
  return terms.some((term) => (term.matchExpressions ?? []).every((r) => requirementHolds(r, labels)));
}

function requirementHolds({ key, operator, values = [] }: V1NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const value = labels[key];
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

export function tolerates(tolerations: V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function blockingTaints(node: V1Node, pod: V1Pod): V1Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod.spec?.tolerations, t));
}

function taintText(t: V1Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

function selectorText(pod: V1Pod): string {
  const parts = [mapSelectorString(pod.spec?.nodeSelector)];
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    parts.push((term.matchExpressions ?? []).map((r) => `${r.key} ${r.operator} ${(r.values ?? []).join('|')}`.trim()).join(','));
  }
  return parts.filter((p) => p !== '').join(' or ');
}

function hasNodeSelection(pod: V1Pod): boolean {
  return (
    Object.keys(pod.spec?.nodeSelector ?? {}).length > 0 ||
    (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.length ?? 0) > 0
  );
}

const isReady = (node: V1Node) => conditionOf(node, 'Ready')?.status === 'True';

/** The only nodes a pod's selector allows all carry a taint the pod does not tolerate. */
export const unschedulableTaint: DiagnosisRule = {
  id: 'unschedulable-taint',
  failureClass: 'Pending: untolerated taints',
  needs: ['nodes'],
  detect(ev) {
    const nodes = ev.listed<V1Node>('nodes');
    if (nodes === undefined) return [];
    return unscheduledPods(ev).flatMap(({ pod, message }): Finding[] => {
      if (!/untolerated taint/.test(message)) return [];
      const candidates = nodes.filter((n) => n.spec?.unschedulable !== true && nodeMatchesPod(n, pod));
      if (candidates.length === 0 || !candidates.every((n) => blockingTaints(n, pod).length > 0)) return [];
      const taints = [...new Set(candidates.flatMap((n) => blockingTaints(n, pod).map(taintText)))];
      const names = candidates.map((n) => n.metadata?.name ?? '').join(', ');
      const selection = hasNodeSelection(pod)
        ? `the node${candidates.length === 1 ? '' : 's'} matching its node selector ${selectorText(pod)} (${names})`
        : `every schedulable node (${names})`;
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `pod ${podName(pod)} cannot be scheduled: ${selection} carr${candidates.length === 1 ? 'ies' : 'y'} taint ${taints.join(', ')} and the pod has no matching toleration`,
          facts: [
            schedulerFact(message),
            `tolerations of the pod: ${(pod.spec?.tolerations ?? []).map((t) => `${t.key ?? '*'}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? '*'}`).join(', ') || 'none'}`,
          ],
          fix: `add a toleration for ${taints[0] ?? 'the taint'} to the pod template (if it is meant to run there), or select other nodes`,
        },
      ];
    });
  },
};

/** No node at all carries the labels the pod's nodeSelector / required affinity asks for. */
export const unschedulableNodeSelector: DiagnosisRule = {
  id: 'unschedulable-node-selector',
  failureClass: 'Pending: node selector / affinity matches no node',
  needs: ['nodes'],
  detect(ev) {
    const nodes = ev.listed<V1Node>('nodes');
    if (nodes === undefined) return [];
    return unscheduledPods(ev).flatMap(({ pod, message }): Finding[] => {
      if (!hasNodeSelection(pod) || nodes.some((n) => nodeMatchesPod(n, pod))) return [];
      const keys = Object.keys(pod.spec?.nodeSelector ?? {});
      const near = keys.map((key) => {
        const values = [...new Set(nodes.flatMap((n) => (n.metadata?.labels?.[key] === undefined ? [] : [n.metadata.labels[key]])))];
        return values.length === 0 ? `no node has a label ${key}` : `nodes label ${key} as ${values.join(', ')}`;
      });
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `pod ${podName(pod)} cannot be scheduled: no node matches its node selector ${selectorText(pod)} (${nodes.length} nodes checked)`,
          facts: [schedulerFact(message), ...near],
          fix: 'fix the nodeSelector / node affinity in the pod template, or label the nodes meant to run it',
        },
      ];
    });
  },
};

/** "N Insufficient cpu": the pod asks for more than the nodes that could take it have free. */
export const insufficientResources: DiagnosisRule = {
  id: 'unschedulable-resources',
  failureClass: 'Pending: insufficient cpu / memory',
  needs: ['nodes'],
  detect(ev) {
    const nodes = ev.listed<V1Node>('nodes') ?? [];
    return unscheduledPods(ev).flatMap(({ pod, message }): Finding[] => {
      const short = [...message.matchAll(/(\d+) Insufficient ([\w./-]+)/g)].map((m) => ({ count: m[1] ?? '', resource: m[2] ?? '' }));
      if (short.length === 0) return [];
      const usable = nodes.filter(
        (n) => isReady(n) && n.spec?.unschedulable !== true && nodeMatchesPod(n, pod) && blockingTaints(n, pod).length === 0,
      );
      const facts = [schedulerFact(message)];
      const parts: string[] = [];
      for (const { resource } of short) {
        const requested = (pod.spec?.containers ?? []).reduce((sum, c) => sum + (parseQuantity(c.resources?.requests?.[resource]) || 0), 0);
        const requestedText = (pod.spec?.containers ?? [])
          .flatMap((c) => (c.resources?.requests?.[resource] ? [c.resources.requests[resource]] : []))
          .join('+');
        const largest = usable.reduce<{ node: string; value: number; text: string } | undefined>((best, n) => {
          const text = n.status?.allocatable?.[resource];
          const value = parseQuantity(text);
          return text !== undefined && (best === undefined || value > best.value) ? { node: n.metadata?.name ?? '', value, text } : best;
        }, undefined);
        const shown = (text: string) => (resource === 'memory' ? readableMemory(text) : text);
        if (largest !== undefined) {
          facts.push(
            `the largest node it may use, ${largest.node}, allocates ${resource} ${shown(largest.text)} (${usable.length} node${usable.length === 1 ? '' : 's'} it may use)`,
          );
          parts.push(
            requested > largest.value
              ? `it requests ${resource} ${requestedText}, more than any node it may use allocates (at most ${shown(largest.text)})`
              : `it requests ${resource} ${requestedText} and the nodes it may use have less than that free`,
          );
        } else parts.push(`it requests ${resource} ${requestedText || '(none)'} and no node has that much free`);
      }
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `Unschedulable: pod ${podName(pod)} cannot be scheduled: ${parts.join('; ')}`,
          facts,
          fix: 'lower the requests to what the app needs, or add nodes that large (or a node pool for it)',
        },
      ];
    });
  },
};

/** Whatever the scheduler said, when no rule above explains it. */
export const unschedulable: DiagnosisRule = {
  id: 'unschedulable',
  failureClass: 'Pending: unschedulable (other reasons)',
  needs: [],
  fallback: true,
  detect(ev) {
    return unscheduledPods(ev).map(({ pod, message }) => {
      const requests = Object.entries(
        pod.spec?.containers.reduce<Record<string, string>>((all, c) => ({ ...all, ...c.resources?.requests }), {}) ?? {},
      );
      return {
        rule: this.id,
        about: podRef(pod),
        cause: `Unschedulable (FailedScheduling): pod ${podName(pod)} cannot be scheduled: ${quoteLine(message, 300)}${requests.length > 0 ? ` (it requests ${requests.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
        facts: eventsWith(ev, podRef(pod), ['FailedScheduling'])
          .slice(0, 1)
          .map((e) => eventFact(e, ev.now)),
      };
    });
  },
};

export const schedulingRules: DiagnosisRule[] = [unschedulableTaint, unschedulableNodeSelector, insufficientResources];
