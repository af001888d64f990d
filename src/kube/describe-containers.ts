import type { V1Container, V1ContainerState, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';
import { clipText } from './clip-text.ts';

/** One container of a pod with what explains its health, for pod_get and diagnose. */
export interface ContainerDetail {
  name: string;
  init?: true;
  image: string;
  /** "running", "waiting: CrashLoopBackOff", "terminated: OOMKilled (exit 137)". */
  state: string;
  /** The waiting or terminated reason alone: CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error. */
  reason?: string;
  exitCode?: number;
  /** The kubelet's words on a waiting container (back-off, image pull error). */
  waitingMessage?: string;
  ready: boolean;
  restarts: number;
  /** The previous instance: "terminated: Error (exit 1), 3m ago". */
  lastState?: string;
  lastReason?: string;
  lastExitCode?: number;
  /** Written by the application (terminationMessagePath): untrusted text, to be fenced. */
  terminationMessage?: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export function describeContainers(pod: V1Pod, now: Date = new Date()): ContainerDetail[] {
  const details = (specs: V1Container[], statuses: V1ContainerStatus[], init: boolean) =>
    specs.map((spec) =>
      describeContainer(
        spec,
        statuses.find((s) => s.name === spec.name),
        init,
        now,
      ),
    );
  return [
    ...details(pod.spec?.initContainers ?? [], pod.status?.initContainerStatuses ?? [], true),
    ...details(pod.spec?.containers ?? [], pod.status?.containerStatuses ?? [], false),
  ];
}

function describeContainer(spec: V1Container, status: V1ContainerStatus | undefined, init: boolean, now: Date): ContainerDetail {
  const detail: ContainerDetail = {
    name: spec.name,
    image: spec.image ?? status?.image ?? '',
    state: stateText(status?.state),
    ready: status?.ready ?? false,
    restarts: status?.restartCount ?? 0,
  };
  if (init) detail.init = true;
  const waiting = status?.state?.waiting;
  const terminated = status?.state?.terminated;
  const reason = waiting?.reason ?? terminated?.reason;
  if (reason) detail.reason = reason;
  if (terminated !== undefined) detail.exitCode = terminated.exitCode;
  if (waiting?.message) detail.waitingMessage = clipText(waiting.message, 400);
  const last = status?.lastState?.terminated;
  if (last !== undefined) {
    detail.lastState = `${stateText(status?.lastState)}${last.finishedAt ? `, ${formatAge(last.finishedAt, now)} ago` : ''}`;
    detail.lastReason = last.reason ?? 'Terminated';
    detail.lastExitCode = last.exitCode;
  }
  const message = terminated?.message ?? last?.message;
  if (message) detail.terminationMessage = clipText(message, 1_000);
  if (spec.resources?.requests) detail.requests = spec.resources.requests;
  if (spec.resources?.limits) detail.limits = spec.resources.limits;
  return detail;
}

function stateText(state: V1ContainerState | undefined): string {
  if (state?.running !== undefined) return 'running';
  if (state?.waiting !== undefined) return `waiting: ${state.waiting.reason ?? 'unknown'}`;
  if (state?.terminated !== undefined) {
    const t = state.terminated;
    return `terminated: ${t.reason ?? (t.signal ? `signal ${t.signal}` : 'Terminated')} (exit ${t.exitCode})`;
  }
  return 'unknown';
}
