import { Job, type Worker } from 'bullmq';
import type { Logger } from '../log/create-logger.ts';
import { LOCK_LOST_REASON } from './job-abort.ts';
import type { ReplyStateStore } from './reply-state.ts';

export interface StopJobsOnLostLockOptions {
  worker: Worker;
  replyState: Pick<ReplyStateStore, 'read'>;
  logger: Logger;
}

/**
 * Stops a job whose lock this worker could not renew: another worker may take it now (found stalled), and two must
 * not answer. Unless the job itself is gone from Redis and not answered: a Redis killed before its append-only file
 * held its last writes comes back without a job a worker had already started (and its lock), so nobody else will ever
 * take it and stopping it here would leave the question with a root and a "Working on it…" message forever. This
 * worker then finishes it, from what it holds in memory.
 */
export function stopJobsOnLostLock({ worker, replyState, logger }: StopJobsOnLostLockOptions): void {
  // Jobs judged lost, checked once (a few ids per Redis crash; such a job never completes in BullMQ's eyes).
  const finishing = new Set<string>();
  const lostByRedis = async (jobId: string) => (await Job.fromId(worker, jobId)) === undefined && !(await replyState.read(jobId)).done;
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) {
      if (finishing.has(jobId)) continue;
      lostByRedis(jobId).then(
        (lost) => {
          if (!lost) {
            worker.cancelJob(jobId, LOCK_LOST_REASON);
            return;
          }
          finishing.add(jobId);
          logger.warn({ jobId }, 'job lost by Redis (restarted without its last writes) after this worker started it; finishing it here');
        },
        (error: unknown) => {
          logger.warn({ err: error, jobId }, 'could not tell whether Redis still holds a job whose lock was lost; stopping it');
          worker.cancelJob(jobId, LOCK_LOST_REASON);
        },
      );
    }
  });
}
