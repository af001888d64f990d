import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/**
 * The STATUS column of `kubectl get pods`, computed the way kubectl does (printPod): init container
 * progress, then the last container's waiting or terminated reason, then Terminating.
 */
export function podStatus(pod: V1Pod): string {
  const status = pod.status;
  let reason = status?.reason ?? status?.phase ?? 'Unknown';
  const specInit = pod.spec?.initContainers?.length ?? 0;

  let initializing = false;
  const initStatuses = status?.initContainerStatuses ?? [];
  for (const [index, container] of initStatuses.entries()) {
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated !== undefined && terminated.exitCode === 0) continue;
    if (isRestartableInit(pod, container) && container.started === true) continue;
    initializing = true;
    if (terminated !== undefined) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason !== undefined && waiting.reason !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${index}/${specInit}`;
    }
    break;
  }

  if (!initializing) {
    let hasRunning = false;
    const containers = [...(status?.containerStatuses ?? [])].reverse();
    for (const container of containers) {
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated !== undefined) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (container.ready && container.state?.running !== undefined) {
        hasRunning = true;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      reason = ready ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp !== undefined) {
    reason = status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  return reason;
}

function isRestartableInit(pod: V1Pod, container: V1ContainerStatus): boolean {
  const spec = pod.spec?.initContainers?.find((c) => c.name === container.name);
  return spec?.restartPolicy === 'Always';
}

/** Ready containers over all containers, as kubectl's READY column ("1/2"). */
export function podReady(pod: V1Pod): { ready: number; total: number } {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers.length ?? statuses.length;
  return { ready: statuses.filter((c) => c.ready).length, total };
}

/** Total restarts of the pod's containers, and when the most recent one ended. */
export function podRestarts(pod: V1Pod): { restarts: number; lastRestartAt: Date | undefined } {
  let restarts = 0;
  let lastRestartAt: Date | undefined;
  for (const container of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    restarts += container.restartCount;
    const finished = toDate(container.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (lastRestartAt === undefined || finished > lastRestartAt)) lastRestartAt = finished;
  }
  return { restarts, lastRestartAt };
}

function toDate(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Statuses that mean the pod is fine (or finished fine). */
const HEALTHY = new Set(['Running', 'Completed', 'Succeeded']);

/**
 * A pod needs attention when its status is not healthy, a running pod is not fully ready, or it
 * restarted. Readiness is the pod's Ready condition as well as its containers': when a node stops
 * reporting, the containers keep the kubelet's last word (ready) while the node controller sets Ready=False.
 */
export function isPodAnomalous(pod: V1Pod): boolean {
  const status = podStatus(pod);
  if (!HEALTHY.has(status)) return true;
  const { ready, total } = podReady(pod);
  if (status === 'Running' && ready < total) return true;
  if (status === 'Running' && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True') === true) return true;
  return podRestarts(pod).restarts > 0;
}
