import type { V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { describeContainers, type ContainerDetail } from '../../../kube/describe-containers.ts';
import { KubeError } from '../../../kube/errors.ts';
import { ownerChain } from '../../../kube/owner-chain.ts';
import { podReady, podRestarts, podStatus } from '../../../kube/pod-status.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import { listEvents } from './events.ts';
import { conditionsNotTrue } from './get-pod.ts';
import { own, resultParts, untrusted } from '../../result-parts.ts';
import type { ResultPart } from '../../tool-definition.ts';
import { clipText } from '../../../kube/clip-text.ts';

/** Lines of log per failing container: enough for the crash and what led to it. */
const LOG_LINES = 30;
const LOG_BYTES = 8_192;
/** Containers whose logs are fetched per pod. */
const MAX_LOGGED_CONTAINERS = 2;

export interface PodDiagnosis {
  healthy: boolean;
  /** One line that answers "why is it failing?" (it quotes cluster text: render it fenced). */
  verdict: string;
  text: ResultPart[];
  structured: Record<string, unknown>;
}

/**
 * Why a pod is failing, in one pass: status, owner chain, conditions, container states, Warning events
 * and the log tails of the failing containers (the previous instance for a container that restarted).
 */
export async function diagnosePod(kube: KubeClient, pod: V1Pod): Promise<PodDiagnosis> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const containers = describeContainers(pod);
  const failing = containers.filter(isFailing);
  const [owners, events, nodeProblem, logs] = await Promise.all([
    ownerChain(kube, { namespace, ownerReferences: pod.metadata?.ownerReferences }),
    listEvents(kube, { namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name},type=Warning`, max: 5 }),
    failing.length > 0 ? nodeNotReady(kube, pod.spec?.nodeName) : Promise.resolve(undefined),
    Promise.all(failing.slice(0, MAX_LOGGED_CONTAINERS).map((container) => logTail(kube, pod, container))),
  ]);
  const verdict = podVerdict(pod, failing, logs, nodeProblem);
  const { ready, total } = podReady(pod);
  const facts = pruneObject({
    ownerChain: owners.length > 0 ? ['Pod', ...owners].join(' → ') : undefined,
    node: pod.spec?.nodeName ?? '(not scheduled)',
    conditionsNotTrue: conditionsNotTrue(pod),
    containers: containers.map((c) => ({
      name: c.init ? `${c.name} (init)` : c.name,
      state: c.state,
      waitingMessage: c.waitingMessage,
      ready: c.ready,
      restarts: c.restarts,
      lastState: c.lastState,
      limits: c.limits,
      requests: c.requests,
    })),
  });
  // Statuses, messages, events and logs are cluster text: fenced. Only the headings are the tool's own.
  const status = [`Pod ${namespace}/${name}: ${podStatus(pod)}, ${ready}/${total} ready, ${podRestarts(pod).restarts} restarts`, stringify(facts, { lineWidth: 0 }).trimEnd()];
  if (nodeProblem !== undefined) status.push(nodeProblem);
  const parts: ResultPart[] = [untrusted(`status of pod ${namespace}/${name}`, status.join('\n'))];
  const warningCount = (events.structuredContent?.events as unknown[] | undefined)?.length ?? 0;
  if (warningCount > 0) parts.push(own('Warning events:'), ...resultParts(events.text, `events of pod ${namespace}/${name}`));
  else parts.push(own('No Warning events.'));
  for (const log of logs) {
    if (log.text === undefined) parts.push(own(`Logs of container ${log.container}:`), untrusted(`log status of container ${log.container}`, log.note ?? ''));
    else parts.push(own(`Last ${log.lines} log lines of ${log.source}:`), untrusted(`logs of ${log.source}`, log.text));
  }
  return {
    healthy: failing.length === 0 && ['Running', 'Completed', 'Succeeded'].includes(podStatus(pod)),
    verdict,
    text: parts,
    structured: {
      name,
      namespace,
      verdict,
      status: podStatus(pod),
      ...(facts as Record<string, unknown>),
      warningEvents: events.structuredContent?.events ?? [],
      logs: logs.map(({ text: _text, ...log }) => log),
    },
  };
}

function isFailing(c: ContainerDetail): boolean {
  if (c.init) return !c.state.startsWith('terminated: Completed') && c.state !== 'running';
  return c.state !== 'running' || !c.ready || c.restarts > 0;
}

interface LogTail {
  container: string;
  previous: boolean;
  source: string;
  lines: number;
  /** The line that best says how it ended (a panic, fatal or error line, else the last one). */
  lastLine?: string;
  text?: string;
  note?: string;
}

async function logTail(kube: KubeClient, pod: V1Pod, container: ContainerDetail): Promise<LogTail> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const previous = container.lastState !== undefined;
  const base = { container: container.name, previous, lines: 0 };
  // Without a previous instance, only a running or finished container has a log (asking for one that never
  // started gets an answer client-node cannot even parse).
  if (!previous && !container.state.startsWith('running') && !container.state.startsWith('terminated')) {
    return { ...base, source: '', note: `none: the container has not started (${container.reason ?? (pod.spec?.nodeName ? 'waiting' : 'pod not scheduled')}).` };
  }
  const source = `${previous ? 'previous instance of ' : ''}container ${container.name} of pod ${namespace}/${name}`;
  try {
    const text = await callKube(kube, () =>
      kube.core.readNamespacedPodLog({ namespace, name, container: container.name, previous, tailLines: LOG_LINES, limitBytes: LOG_BYTES }),
    );
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) return { ...base, source, note: 'the log is empty.' };
    const telling = [...lines].reverse().find((line) => /\b(panic|fatal|error|exception|killed|failed)\b/i.test(line)) ?? lines.at(-1);
    return { ...base, source, lines: lines.length, text, ...(telling === undefined ? {} : { lastLine: clipText(telling.trim(), 240) }) };
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    return { ...base, source, note: `unavailable (${clipText(error.message, 200)}).` };
  }
}

async function nodeNotReady(kube: KubeClient, nodeName: string | undefined): Promise<string | undefined> {
  if (nodeName === undefined) return undefined;
  try {
    const node = await callKube(kube, () => kube.core.readNode({ name: nodeName }));
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return ready?.status === 'True' ? undefined : `Node ${nodeName} is NotReady (${ready?.reason ?? 'no Ready condition'}).`;
  } catch (error) {
    if (error instanceof KubeError) return undefined; // a caller without node access still gets the rest
    throw error;
  }
}

function podVerdict(pod: V1Pod, failing: ContainerDetail[], logs: LogTail[], nodeProblem: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  const status = podStatus(pod);
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled !== undefined) {
    const requests = (pod.spec?.containers ?? []).map((c) => Object.entries(c.resources?.requests ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')).filter((r) => r !== '');
    const why = clipText((unscheduled.message ?? 'no reason given').split(/\. preemption:/i)[0] ?? '', 300);
    return `${unscheduled.reason ?? 'Unschedulable'} (FailedScheduling): pod ${name} cannot be scheduled: ${why}${requests.length > 0 ? ` (it requests ${requests.join('; ')})` : ''}`;
  }
  const nodeNote = nodeProblem === undefined ? '' : ` ${nodeProblem}`;
  const container = failing.find((c) => c.reason !== undefined && c.state.startsWith('waiting')) ?? failing.find((c) => c.state.startsWith('terminated')) ?? failing[0];
  if (container === undefined) {
    if (status === 'Completed' || status === 'Succeeded') return `Completed: pod ${name} ran to completion.`;
    if (['Running'].includes(status)) return `Healthy: pod ${name} is Running, all containers ready, no restarts.${nodeNote}`;
    return `${status}: pod ${name} is ${status}${pod.status?.message ? `: ${clipText(pod.status.message, 200)}` : ''}.${nodeNote}`;
  }
  const log = logs.find((l) => l.container === container.name);
  const logEnd = log?.lastLine === undefined ? '' : `; ${log.previous ? 'previous ' : ''}log ends: "${log.lastLine}"`;
  const memoryLimit = container.limits?.memory === undefined ? '' : ` of ${container.limits.memory}`;
  const reason = container.reason ?? status;
  const restarts = container.restarts > 0 ? `, ${container.restarts} restarts` : '';
  if (reason === 'OOMKilled' || (reason === 'CrashLoopBackOff' && container.lastReason === 'OOMKilled')) {
    return `${reason}: container ${container.name} is killed for exceeding its memory limit${memoryLimit} (exit 137)${restarts}${logEnd}.${nodeNote}`;
  }
  if (reason === 'CrashLoopBackOff') {
    return `CrashLoopBackOff: container ${container.name} exits ${container.lastExitCode ?? '?'} (${container.lastReason ?? 'Error'})${restarts}${logEnd}${nodeNote}`;
  }
  if (['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull'].includes(reason)) {
    const cause = /not found|manifest unknown/i.test(container.waitingMessage ?? '')
      ? ' (the image or tag does not exist)'
      : /unauthorized|denied|authentication/i.test(container.waitingMessage ?? '')
        ? ' (access denied: check imagePullSecrets)'
        : '';
    return `${reason}: container ${container.name} cannot pull image ${container.image}${cause}.${nodeNote}`;
  }
  if (container.state.startsWith('waiting')) {
    return `${reason}: container ${container.name} is waiting${container.waitingMessage ? `: ${clipText(container.waitingMessage, 200)}` : ''}.${nodeNote}`;
  }
  if (container.state.startsWith('terminated')) {
    return `${reason}: container ${container.name} exited ${container.exitCode ?? '?'}${restarts}${logEnd}.${nodeNote}`;
  }
  if (!container.ready) return `NotReady: container ${container.name} is running but not ready (failing its readiness probe?)${restarts}.${nodeNote}`;
  return `Restarting: container ${container.name} is running but restarted${restarts}, last ${container.lastState ?? 'termination unknown'}${logEnd}.${nodeNote}`;
}
