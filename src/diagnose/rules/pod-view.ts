import type { V1Container, V1ContainerState, V1ContainerStateTerminated, V1ContainerStatus, V1Pod, V1Probe } from '@kubernetes/client-node';
import { formatAge } from '../../kube/format-age.ts';
import { cutLine } from '../log-excerpt.ts';
import type { EventRecord, Evidence, LogRecord } from '../evidence.ts';
import { quoteLine, refOf, type ObjectRef } from '../kube-object.ts';

/** A container of a pod with its spec and its status, whole (messages are not cut before rules read them). */
export interface ContainerView {
  spec: V1Container;
  status: V1ContainerStatus | undefined;
  init: boolean;
}

export function containersOf(pod: V1Pod): ContainerView[] {
  const view = (specs: V1Container[] | undefined, statuses: V1ContainerStatus[] | undefined, init: boolean) =>
    (specs ?? []).map((spec) => ({ spec, status: statuses?.find((s) => s.name === spec.name), init }));
  return [
    ...view(pod.spec?.initContainers, pod.status?.initContainerStatuses, true),
    ...view(pod.spec?.containers, pod.status?.containerStatuses, false),
  ];
}

export function podRef(pod: V1Pod): ObjectRef {
  return refOf(pod, 'Pod');
}

export function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}

/** "Error (exit 1) 3m ago" */
export function terminationText(t: V1ContainerStateTerminated | undefined, now: Date): string {
  if (t === undefined) return 'unknown';
  const when = t.finishedAt === undefined ? '' : ` ${formatAge(t.finishedAt, now)} ago`;
  return `${t.reason ?? (t.signal ? `signal ${t.signal}` : 'Terminated')} (exit ${t.exitCode})${when}`;
}

/** "waiting: CrashLoopBackOff", "running", "terminated: OOMKilled (exit 137)". */
export function stateText(state: V1ContainerState | undefined): string {
  if (state?.running !== undefined) return 'running';
  if (state?.waiting !== undefined) return `waiting: ${state.waiting.reason ?? 'unknown'}`;
  if (state?.terminated !== undefined) return `terminated: ${state.terminated.reason ?? 'Terminated'} (exit ${state.terminated.exitCode})`;
  return 'unknown';
}

/** The last termination: the current state when terminated, else the previous instance's. */
export function lastTermination(c: ContainerView): V1ContainerStateTerminated | undefined {
  return c.status?.state?.terminated ?? c.status?.lastState?.terminated;
}

/** "requests cpu 250m, memory 128Mi; limits memory 256Mi", or "no requests or limits". */
export function resourcesText(spec: V1Container): string {
  const part = (label: string, values: Record<string, string> | undefined) => {
    const entries = Object.entries(values ?? {});
    return entries.length === 0 ? undefined : `${label} ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}`;
  };
  const parts = [part('requests', spec.resources?.requests), part('limits', spec.resources?.limits)].filter((p) => p !== undefined);
  return parts.length === 0 ? 'no requests or limits' : parts.join('; ');
}

/** What each container of a pod requests, summed: "cpu 16, memory 8Gi". */
export function podRequests(pod: V1Pod): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of pod.spec?.containers ?? [])
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) out[k] = out[k] === undefined ? v : `${out[k]}+${v}`;
  return out;
}

/** "GET :http/healthz (initialDelaySeconds 10, periodSeconds 10, timeoutSeconds 1, failureThreshold 3)" */
export function probeText(probe: V1Probe): string {
  const how = probe.httpGet
    ? `GET :${probe.httpGet.port}${probe.httpGet.path ?? '/'}`
    : probe.tcpSocket
      ? `TCP :${probe.tcpSocket.port}`
      : probe.grpc
        ? `gRPC :${probe.grpc.port}`
        : probe.exec
          ? `exec ${(probe.exec.command ?? []).join(' ')}`
          : 'probe';
  const settings = [
    `initialDelaySeconds ${probe.initialDelaySeconds ?? 0}`,
    `periodSeconds ${probe.periodSeconds ?? 10}`,
    `timeoutSeconds ${probe.timeoutSeconds ?? 1}`,
    `failureThreshold ${probe.failureThreshold ?? 3}`,
  ];
  return `${how} (${settings.join(', ')})`;
}

/** The log that explains a container: its previous instance when it has one. */
export function logOf(ev: Evidence, pod: V1Pod, container: string): LogRecord | undefined {
  const logs = ev.logsOf(pod.metadata?.namespace ?? '', podName(pod), container);
  return logs.find((l) => l.previous) ?? logs[0];
}

/** The decisive line of a container's log (or its last line), as quoted in a verdict. */
export function decisiveLogLine(
  ev: Evidence,
  pod: V1Pod,
  container: string,
): { line: string; previous: boolean; decisive: boolean } | undefined {
  const log = logOf(ev, pod, container);
  if (log === undefined || log.lines.length === 0) return undefined;
  const index = log.decisive ?? log.lines.length - 1;
  return { line: quoteLine(log.lines[index] ?? ''), previous: log.previous, decisive: log.decisive !== undefined };
}

/** `; previous log: "…"` for a verdict, or "". */
export function logClause(ev: Evidence, pod: V1Pod, container: string): string {
  const quoted = decisiveLogLine(ev, pod, container);
  if (quoted === undefined) return '';
  return `; ${quoted.previous ? 'previous ' : ''}log${quoted.decisive ? '' : ' ends'}: "${quoted.line}"`;
}

/** An event as one line of evidence. */
export function eventFact(e: EventRecord, now: Date): string {
  const age = Number.isNaN(e.lastSeen) ? '' : `, ${formatAge(new Date(e.lastSeen), now)} ago`;
  return `event ${e.reason}${e.count > 1 ? ` ×${e.count}` : ''} (${e.type}${age}): ${cutLine(quoteLine(e.message, 2_000), 400)}`;
}

/** Events of an object whose reason is one of `reasons` (and whose message matches, when given), newest first. */
export function eventsWith(ev: Evidence, ref: ObjectRef, reasons: string[], message?: RegExp): EventRecord[] {
  return ev.eventsOf(ref).filter((e) => reasons.includes(e.reason) && (message === undefined || message.test(e.message)));
}

/** The pod condition of a type, when it is not True: "Ready=False (ContainersNotReady)". */
export function podConditionFalse(pod: V1Pod, type: string): { reason?: string; message?: string; since?: string } | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === type);
  if (c === undefined || c.status === 'True') return undefined;
  return {
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { since: String(c.lastTransitionTime) } : {}),
  };
}
