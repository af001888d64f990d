import type { Queue } from 'bullmq';
import type { ApprovalJob } from '../queue/approval-job.ts';
import { chatJobOptions } from '../queue/chat-queue.ts';

/** The expiry timer runs this long after the expiry, so a click at the last moment (on a clock a little behind) wins. */
export const EXPIRY_GRACE_MS = 5_000;

/** The job name of the expiry timer; a click's job is named `resolve`. */
export const EXPIRE_JOB = 'expire';

/**
 * Schedules the expiry of a pending action: a delayed approval job that, if nobody decided by then, marks it
 * expired, updates the card and lets the conversation go on. Its own job id (`expire-<token>`) keeps it apart
 * from the click's job (`approval-<token>`); scheduling twice (a retried answer) is a no-op.
 */
export async function scheduleApprovalExpiry(queue: Queue<ApprovalJob>, token: string, expiresAt: number): Promise<void> {
  await queue.add(
    EXPIRE_JOB,
    { token, decision: 'expired' },
    { ...chatJobOptions, jobId: `expire-${token}`, delay: Math.max(0, expiresAt - Date.now()) + EXPIRY_GRACE_MS },
  );
}
