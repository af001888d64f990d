import type { V1Pod } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { KubeError } from '../../../kube/errors.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { readNodeForWrite, setUnschedulable } from './cordon-node.ts';
import { podFate } from './pods.ts';
import { qualified, WRITE_CALL, writeResult, type FieldChange, type WritePreview } from './write-result.ts';

const MIRROR_POD = 'kubernetes.io/config.mirror';

/** What drain does with one pod of the node. */
interface PodPlan {
  pod: V1Pod;
  ref: string;
  action: 'evict' | 'blocked' | 'skip';
  /** Why skipped or blocked, or what the approver should know about an eviction. */
  note?: string;
}

/**
 * `kubectl drain --ignore-daemonsets`: cordon, then evict every pod through the Eviction API, so
 * PodDisruptionBudgets are honoured. DaemonSet and mirror pods are skipped (their controller or
 * kubelet would put them straight back). The dry run asks the API server about each eviction, so a
 * budget that says no shows in the preview as "blocked". Does not wait for pods to finish terminating.
 */
export async function drainNode(
  kube: KubeClient,
  { name, gracePeriodSeconds, dryRun }: { name: string; gracePeriodSeconds?: number | undefined; dryRun: boolean },
): Promise<ToolResult> {
  const node = await readNodeForWrite(kube, name);
  const pods = await callKube(kube, () => kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` }));
  const plans = pods.items.map(planPod);
  const cordoned = node.spec?.unschedulable === true;
  const cordon: FieldChange = cordoned
    ? { field: 'spec.unschedulable', before: true, after: true }
    : await setUnschedulable(kube, node, { unschedulable: true, dryRun: true });
  for (const plan of plans.filter((p) => p.action === 'evict')) {
    const refusal = await evict(kube, plan.pod, { gracePeriodSeconds, dryRun: true });
    if (refusal !== undefined) Object.assign(plan, { action: 'blocked', note: refusal });
  }
  const count = (action: PodPlan['action']) => plans.filter((p) => p.action === action).length;
  const preview: WritePreview = {
    summary:
      `drain node ${name}: ${cordoned ? 'already cordoned' : `cordon (spec.unschedulable ${String(cordon.before)} → ${String(cordon.after)})`}, ` +
      `evict ${count('evict')} pod(s), ${count('blocked')} blocked, ${count('skip')} skipped`,
    target: { kind: 'Node', name, context: kube.context },
    changes: [
      ...(cordoned ? [] : [cordon]),
      ...plans
        .filter((p) => p.action === 'evict')
        .map((p): FieldChange => ({ field: `pod ${p.ref}`, before: 'running', after: 'evicted' })),
    ],
    details: plans.map((p) => `${p.action.padEnd(7)} ${p.ref}${p.note === undefined ? '' : `: ${p.note}`}`),
  };
  if (dryRun) return writeResult({ tool: 'node_drain', preview, applied: false });
  if (!cordoned) await setUnschedulable(kube, await readNodeForWrite(kube, name), { unschedulable: true, dryRun: false });
  const evicted: string[] = [];
  const refused: string[] = [];
  // Budgets can change between preview and now, so blocked pods are tried again too.
  for (const plan of plans.filter((p) => p.action !== 'skip')) {
    const refusal = await evict(kube, plan.pod, { gracePeriodSeconds, dryRun: false });
    if (refusal === undefined) evicted.push(plan.ref);
    else refused.push(`${plan.ref} (${refusal})`);
  }
  const outcome = [
    `Result: node ${name} cordoned; evicted ${evicted.length} pod(s)${evicted.length > 0 ? ' (they terminate within their grace period)' : ''}.`,
    ...(refused.length > 0 ? [`Not evicted: ${refused.join('; ')}. Drain again later, or ask the owner of the disruption budget.`] : []),
  ];
  const result = writeResult({ tool: 'node_drain', preview, applied: true, outcome });
  return { ...result, structuredContent: { ...result.structuredContent, evicted, notEvicted: refused } };
}

function planPod(pod: V1Pod): PodPlan {
  const ref = qualified(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
  if (pod.metadata?.annotations?.[MIRROR_POD] !== undefined)
    return { pod, ref, action: 'skip', note: 'mirror pod (static, the kubelet owns it)' };
  const controller = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (controller?.kind === 'DaemonSet') return { pod, ref, action: 'skip', note: `DaemonSet pod (${controller.name})` };
  if (pod.metadata?.deletionTimestamp !== undefined) return { pod, ref, action: 'skip', note: 'already terminating' };
  const notes = [
    ...(controller === undefined ? [podFate(pod)] : []),
    ...((pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined) ? ['its emptyDir data is lost'] : []),
  ];
  return { pod, ref, action: 'evict', ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}

/** Evicts one pod; returns why the API server refused (a disruption budget, RBAC, ...) or undefined when it agreed. */
async function evict(
  kube: KubeClient,
  pod: V1Pod,
  { gracePeriodSeconds, dryRun }: { gracePeriodSeconds?: number | undefined; dryRun: boolean },
): Promise<string | undefined> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const deleteOptions = {
    preconditions: { uid: pod.metadata?.uid },
    ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    ...(dryRun ? { dryRun: ['All'] } : {}),
  };
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { namespace, name }, deleteOptions };
  try {
    await callKube(
      kube,
      () => kube.core.createNamespacedPodEviction({ namespace, name, body, ...(dryRun ? { dryRun: 'All' } : {}) }),
      WRITE_CALL,
    );
    return undefined;
  } catch (error) {
    if (error instanceof KubeError) return error.message;
    throw error;
  }
}
