import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** One container of a pod: what `docker ps -a` showed per container, in cluster terms. */
export interface ContainerRow {
  namespace: string;
  pod: string;
  container: string;
  /** "init" for init containers; absent for regular ones. */
  kind?: 'init';
  image: string;
  /** running, waiting: <reason>, or terminated: <reason> (exit N). */
  state: string;
  ready: boolean;
  restarts: number;
  /** Why the previous instance ended, e.g. "OOMKilled (exit 137)". */
  lastTermination?: string;
  /** Detail from the waiting or terminated state (e.g. the back-off or image pull message). */
  message?: string;
}

export function summarizeContainers(pod: V1Pod): ContainerRow[] {
  const namespace = pod.metadata?.namespace ?? '';
  const podName = pod.metadata?.name ?? '';
  const rows = (specs: { name: string; image?: string }[], statuses: V1ContainerStatus[], init: boolean) =>
    specs.map((spec) => {
      const status = statuses.find((s) => s.name === spec.name);
      const row: ContainerRow = {
        namespace,
        pod: podName,
        container: spec.name,
        image: spec.image ?? status?.image ?? '',
        state: containerState(status),
        ready: status?.ready ?? false,
        restarts: status?.restartCount ?? 0,
      };
      if (init) row.kind = 'init';
      const last = status?.lastState?.terminated;
      if (last !== undefined) row.lastTermination = `${last.reason ?? 'Terminated'} (exit ${last.exitCode})`;
      const message = status?.state?.waiting?.message ?? status?.state?.terminated?.message;
      if (message) row.message = message;
      return row;
    });
  return [
    ...rows(pod.spec?.initContainers ?? [], pod.status?.initContainerStatuses ?? [], true),
    ...rows(pod.spec?.containers ?? [], pod.status?.containerStatuses ?? [], false),
  ];
}

export function containerState(status: V1ContainerStatus | undefined): string {
  const state = status?.state;
  if (state?.running !== undefined) return 'running';
  if (state?.waiting !== undefined) return `waiting: ${state.waiting.reason ?? 'unknown'}`;
  if (state?.terminated !== undefined) {
    return `terminated: ${state.terminated.reason ?? 'Terminated'} (exit ${state.terminated.exitCode})`;
  }
  return 'unknown';
}

/** A container needs attention when it is not running and ready, or has restarted. */
export function isContainerAnomalous(row: ContainerRow): boolean {
  if (row.kind === 'init') return !row.state.startsWith('terminated: Completed') && row.state !== 'running';
  return row.state !== 'running' || !row.ready || row.restarts > 0;
}
