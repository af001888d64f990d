import type { V1Pod } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';
import { isPodAnomalous, podReady, podRestarts, podStatus } from './pod-status.ts';

/** One pod as a compact row: what `kubectl get pods -o wide` shows, plus the last termination. */
export interface PodRow {
  namespace: string;
  name: string;
  ready: string;
  status: string;
  restarts: number;
  /** How long ago the last restart happened ("2m"), when there was one. */
  lastRestart?: string;
  age: string;
  node?: string;
  /** Why the last container instance ended, e.g. "checkout: Error (exit 1)". */
  lastTermination?: string;
  anomalous: boolean;
}

export function summarizePod(pod: V1Pod, now: Date = new Date()): PodRow {
  const { ready, total } = podReady(pod);
  const { restarts, lastRestartAt } = podRestarts(pod);
  const row: PodRow = {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ready: `${ready}/${total}`,
    status: podStatus(pod),
    restarts,
    age: formatAge(pod.metadata?.creationTimestamp, now),
    anomalous: isPodAnomalous(pod),
  };
  if (lastRestartAt !== undefined) row.lastRestart = formatAge(lastRestartAt, now);
  if (pod.spec?.nodeName) row.node = pod.spec.nodeName;
  const terminations = (pod.status?.containerStatuses ?? []).flatMap((c) => {
    const last = c.lastState?.terminated;
    return last === undefined ? [] : [`${c.name}: ${last.reason ?? 'Terminated'} (exit ${last.exitCode})`];
  });
  if (terminations.length > 0) row.lastTermination = terminations.join('; ');
  return row;
}
