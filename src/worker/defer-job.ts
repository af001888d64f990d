import { DelayedError, type Job } from 'bullmq';
import type { ReplyState, ReplyStateStore } from './reply-state.ts';
import type { DeferCause } from './retry-text.ts';

/** Backoff of a deferred job by cause: the first delay, doubled per deferral up to the cap, ±20 % jitter. */
const BACKOFF: Record<DeferCause, { baseMs: number; capMs: number }> = {
  model_rate_limited: { baseMs: 5_000, capMs: 60_000 },
  model_unavailable: { baseMs: 5_000, capMs: 60_000 },
  tool_server: { baseMs: 2_000, capMs: 30_000 },
};

export interface NextDeferralOptions {
  state: Pick<ReplyState, 'deferrals' | 'firstDeferredAt'>;
  cause: DeferCause;
  /** RETRY_WINDOW_SECONDS in ms: how long after the first deferral the job may still be deferred. */
  windowMs: number;
  now?: number;
  random?: () => number;
}

/** The delay before the job's next try, or undefined when the retry window is spent (the user then gets the error). */
export function nextDeferral({ state, cause, windowMs, now = Date.now(), random = Math.random }: NextDeferralOptions): number | undefined {
  const first = state.firstDeferredAt ?? now;
  const { baseMs, capMs } = BACKOFF[cause];
  const delayMs = Math.round(Math.min(capMs, baseMs * 2 ** state.deferrals) * (0.8 + 0.4 * random()));
  return now + delayMs - first > windowMs ? undefined : delayMs;
}

export interface DeferJobOptions {
  job: Job;
  /** The worker's lock token of the job (the processor's second argument). */
  token: string | undefined;
  store: ReplyStateStore;
  jobId: string;
  state: Pick<ReplyState, 'deferrals' | 'firstDeferredAt'>;
  delayMs: number;
  now?: number;
}

/**
 * Puts the job back in the queue to run again after `delayMs`, without using one of its attempts (BullMQ's
 * moveToDelayed + DelayedError), and counts the deferral in the reply state. Always throws: the processor
 * must end with the DelayedError so the worker leaves the job where it was moved.
 */
export async function deferJob({ job, token, store, jobId, state, delayMs, now = Date.now() }: DeferJobOptions): Promise<never> {
  if (token === undefined) throw new Error('a job can be deferred only by the worker holding its lock');
  await store.write(jobId, { deferrals: String(state.deferrals + 1), firstDeferredAt: String(state.firstDeferredAt ?? now) });
  await job.moveToDelayed(now + delayMs, token);
  throw new DelayedError(`deferred for ${delayMs} ms`);
}
