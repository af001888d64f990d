import type { V1Pod } from '@kubernetes/client-node';
import { isPodAnomalous } from '../../kube/pod-status.ts';
import type { Evidence } from '../evidence.ts';
import { timeOf } from '../kube-object.ts';

/** Pods examined closely per diagnosis: enough to see a pattern, bounded in API calls and tokens. */
export const MAX_EXAMINED_PODS = 3;

/**
 * Records the subject's pods, and picks those worth a close look: the ones that need attention
 * (not Running and ready, restarted, or Ready=False on a node that stopped reporting), newest first,
 * so a rollout's new pods and a Job's last attempts come before older ones.
 */
export function choosePods(ev: Evidence, pods: V1Pod[], { always = false }: { always?: boolean } = {}): void {
  ev.pods = pods;
  const newestFirst = [...pods].sort((a, b) => timeOf(b.metadata?.creationTimestamp) - timeOf(a.metadata?.creationTimestamp));
  const chosen = always ? newestFirst : newestFirst.filter(isPodAnomalous);
  ev.examined = chosen.slice(0, MAX_EXAMINED_PODS);
}
