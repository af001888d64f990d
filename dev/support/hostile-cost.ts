import { Worker } from 'node:worker_threads';
import type { HostileTextName } from './hostile-text.ts';
import type { HostileSubjectName } from './hostile-subjects.ts';

/**
 * CPU time allowed per MiB of hostile input. Linear code spends 20–500 ms here (under tsx, on a shared
 * machine); the backtracking patterns this replaces spent seconds on kilobytes and hours on a MiB.
 */
export const MAX_CPU_MS_PER_MIB = 1_000;

export interface HostileCost {
  input: HostileTextName;
  /** CPU time of the call (the process's, which is idle but for the worker), per MiB of input. */
  cpuMsPerMiB: number;
  wallMs: number;
  /** Set when the call threw, or did not return before the deadline (the worker was stopped). */
  failure?: string;
}

export interface HostileCostOptions {
  subject: HostileSubjectName;
  inputs: readonly HostileTextName[];
  size: number;
  /** A call still running after this long is stopped and reported (default 15 s). */
  deadlineMs?: number;
}

const workerUrl = new URL('./hostile-cost-worker.ts', import.meta.url).href;
/** Workers do not inherit `--import tsx`: the bootstrap registers it before loading the TypeScript worker. */
const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); })`;

/**
 * Runs a subject (a converter, splitter or renderer) on each hostile input in a worker thread, so that a
 * call that would block for minutes (today's backtracking patterns) is stopped at the deadline instead of
 * hanging the test, and the remaining inputs still run in a fresh worker.
 */
export async function measureHostileCost({ subject, inputs, size, deadlineMs = 15_000 }: HostileCostOptions): Promise<HostileCost[]> {
  const costs: HostileCost[] = [];
  let remaining = [...inputs];
  while (remaining.length > 0) {
    const batch = await runBatch(subject, remaining, size, deadlineMs);
    costs.push(...batch);
    remaining = remaining.slice(batch.length);
  }
  return costs;
}

type WorkerMessage =
  { kind: 'start'; input: HostileTextName } | { kind: 'done'; input: HostileTextName; cpuMs: number; wallMs: number; error?: string };

/** Runs inputs in order until one overruns the deadline; returns the costs of those that ran (that one included). */
function runBatch(
  subject: HostileSubjectName,
  inputs: readonly HostileTextName[],
  size: number,
  deadlineMs: number,
): Promise<HostileCost[]> {
  return new Promise((resolve, reject) => {
    const costs: HostileCost[] = [];
    const worker = new Worker(bootstrap, { eval: true, workerData: { subject, inputs, size } });
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(costs), reject);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'start') {
        clearTimeout(timer);
        timer = setTimeout(() => {
          costs.push({ input: message.input, cpuMsPerMiB: Infinity, wallMs: deadlineMs, failure: `still running after ${deadlineMs} ms` });
          finish();
        }, deadlineMs);
        return;
      }
      clearTimeout(timer);
      const cost: HostileCost = { input: message.input, cpuMsPerMiB: (message.cpuMs * 1024 * 1024) / size, wallMs: message.wallMs };
      costs.push(message.error === undefined ? cost : { ...cost, failure: `threw ${message.error}` });
      if (costs.length === inputs.length) finish();
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
