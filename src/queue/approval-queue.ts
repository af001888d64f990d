import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../log/create-logger.ts';
import { logErrors } from './log-errors.ts';
import { redisKeys } from './redis-keys.ts';
import type { ApprovalJob } from './approval-job.ts';
import { chatJobOptions, DEFAULT_PREFIX } from './chat-queue.ts';

export const APPROVAL_QUEUE = 'approval';

export function createApprovalQueue({
  connection,
  prefix = DEFAULT_PREFIX,
  logger,
}: {
  connection: ConnectionOptions;
  prefix?: string;
  logger: Logger;
}): Queue<ApprovalJob> {
  const queue = new Queue<ApprovalJob>(APPROVAL_QUEUE, { connection, prefix: redisKeys(prefix).queuePrefix });
  logErrors(queue, logger, `${APPROVAL_QUEUE} queue`);
  return queue;
}

/** One job per token: a re-delivered click maps to the same job id, which BullMQ ignores. */
export async function enqueueApprovalJob(queue: Queue<ApprovalJob>, job: ApprovalJob): Promise<string> {
  const jobId = `approval-${job.token}`;
  await queue.add('resolve', job, { ...chatJobOptions, jobId });
  return jobId;
}
