import { DelayedError, type Job } from 'bullmq';
import { SHUTDOWN_REASON } from './job-abort.ts';

export interface HandBackOnShutdownOptions {
  job: Job;
  /** The worker's lock token of the job and the job's abort signal (the processor's second and third arguments). */
  token: string | undefined;
  signal: AbortSignal | undefined;
  /** True once the worker is closing (its `closing` event). */
  closing: () => boolean;
}

/**
 * Runs a job's processor so that a worker's shutdown hands the job back to the queue at once (without using an
 * attempt) for another worker, instead of leaving it to be found stalled after JOB_LOCK_MS:
 * - a job the shutdown stopped by its signal, at whatever step it failed (also its root and progress posts, before
 *   the answer's own hand-back);
 * - a job the closing worker still takes: BullMQ's fetch in flight when `close()` starts can return a job, even the
 *   one just handed back, and the closing worker would then answer it while its shutdown waits.
 * Any other failure, and a DelayedError the processor threw itself, pass through.
 */
export async function handBackOnShutdown<T>(
  { job, token, signal, closing }: HandBackOnShutdownOptions,
  processor: () => Promise<T>,
): Promise<T> {
  if (closing() && token !== undefined) return handBack(job, token);
  try {
    return await processor();
  } catch (error) {
    if (signal?.aborted !== true || signal.reason !== SHUTDOWN_REASON || token === undefined || error instanceof DelayedError) throw error;
    return handBack(job, token);
  }
}

async function handBack(job: Job, token: string): Promise<never> {
  await job.moveToDelayed(Date.now(), token);
  throw new DelayedError('handed back at shutdown');
}
