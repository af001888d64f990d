import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { callKube } from '../../kube/call-kube.ts';
import { KubeError } from '../../kube/errors.ts';
import { decisiveLine } from '../decisive-line.ts';
import type { LogRecord } from '../evidence.ts';
import type { GraphReader } from './graph-reader.ts';

/** Lines and bytes read per container: enough to find the error that led to the end, not just the end. */
const TAIL_LINES = 200;
// Enough for 200 long lines: limitBytes keeps the head of the tail, so a tight limit would drop the newest lines, the crash.
const LIMIT_BYTES = 262_144;
/** Containers whose logs are read per pod. */
const MAX_CONTAINERS = 2;

/**
 * The logs that can explain a pod: of each container that is failing (restarting, crashed, waiting
 * after a crash, running but not ready), the previous instance when there was one, else the current
 * one. Containers that never started have no log, and are noted rather than asked for.
 */
export async function readPodLogs(reader: GraphReader, pod: V1Pod): Promise<void> {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
  ];
  const failing = statuses.filter(({ s, init }) => needsLog(s, init)).slice(0, MAX_CONTAINERS);
  const records = await Promise.all(failing.map(({ s }) => readLog(reader, pod, s)));
  reader.ev.logs.push(...records);
}

function needsLog(s: V1ContainerStatus, init: boolean): boolean {
  const terminated = s.state?.terminated;
  if (init) return !(terminated !== undefined && terminated.exitCode === 0);
  if (s.lastState?.terminated !== undefined || s.restartCount > 0) return true;
  if (terminated !== undefined) return terminated.exitCode !== 0;
  return s.state?.running !== undefined && !s.ready;
}

async function readLog(reader: GraphReader, pod: V1Pod, s: V1ContainerStatus): Promise<LogRecord> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const previous = s.lastState?.terminated !== undefined;
  const base = { namespace, pod: name, container: s.name, previous, lines: [] as string[] };
  if (!previous && s.state?.running === undefined && s.state?.terminated === undefined) {
    return { ...base, note: `none: the container has not started (${s.state?.waiting?.reason ?? 'waiting'})` };
  }
  try {
    const text = await callKube(reader.kube, () =>
      reader.kube.core.readNamespacedPodLog({
        namespace,
        name,
        container: s.name,
        previous,
        tailLines: TAIL_LINES,
        limitBytes: LIMIT_BYTES,
      }),
    );
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) return { ...base, note: 'the log is empty' };
    const decisive = decisiveLine(lines);
    return { ...base, lines, ...(decisive === undefined ? {} : { decisive }) };
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    if (error.code === 'kube_forbidden')
      reader.ev.gaps.set('logs', `cannot read logs: ${(error.message.split('\n')[0] ?? '').slice(0, 200)}`);
    return { ...base, note: `unavailable (${(error.message.split('\n')[0] ?? '').slice(0, 200)})` };
  }
}
