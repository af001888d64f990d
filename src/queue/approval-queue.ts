import { Queue, type ConnectionOptions } from 'bullmq';
import { redisKeys } from './redis-keys.ts';
import type { ApprovalJob } from './approval-job.ts';
import { chatJobOptions, DEFAULT_PREFIX } from './chat-queue.ts';

export const APPROVAL_QUEUE = 'approval';

export function createApprovalQueue({ connection, prefix = DEFAULT_PREFIX }: { connection: ConnectionOptions; prefix?: string }): Queue<ApprovalJob> {
  return new Queue<ApprovalJob>(APPROVAL_QUEUE, { connection, prefix: redisKeys(prefix).queuePrefix });
}

/** One job per token: a re-delivered click maps to the same job id, which BullMQ ignores. */
export async function enqueueApprovalJob(queue: Queue<ApprovalJob>, job: ApprovalJob): Promise<string> {
  const jobId = `approval-${job.token}`;
  await queue.add('resolve', job, { ...chatJobOptions, jobId });
  return jobId;
}
