import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Logger } from '../log/create-logger.ts';
import { logErrors } from './log-errors.ts';
import { redisKeys } from './redis-keys.ts';
import type { ChatJob } from './chat-job.ts';

export const CHAT_QUEUE = 'chat';
export const DEFAULT_PREFIX = 'ai4k8s';

/**
 * Retention keeps finished jobs for a day: a platform re-delivering within that window maps to the same
 * job id, which BullMQ ignores, so a retried delivery never becomes a second answer.
 */
export const chatJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
} as const satisfies JobsOptions;

export interface CreateChatQueueOptions {
  connection: ConnectionOptions;
  /** QUEUE_PREFIX; BullMQ gets it as the hash tag `{prefix}` (src/queue/redis-keys.ts). */
  prefix?: string;
  /** Where the queue's connection errors go (as JSON), instead of raw stacks on stderr. */
  logger: Logger;
}

export function createChatQueue({ connection, prefix = DEFAULT_PREFIX, logger }: CreateChatQueueOptions): Queue<ChatJob> {
  const queue = new Queue<ChatJob>(CHAT_QUEUE, { connection, prefix: redisKeys(prefix).queuePrefix });
  logErrors(queue, logger, `${CHAT_QUEUE} queue`);
  return queue;
}

/** A job id from the platform's own delivery id: stable across retries, safe for Redis keys. */
export function chatJobId(job: Pick<ChatJob, 'platform' | 'deliveryId'>): string {
  const digest = createHash('sha256').update(job.deliveryId).digest('hex').slice(0, 32);
  return `${job.platform}-${digest}`;
}

/** Enqueues a chat job once; a second call with the same delivery id is a no-op. Returns the job id. */
export async function enqueueChatJob(queue: Queue<ChatJob>, job: ChatJob): Promise<string> {
  const jobId = chatJobId(job);
  await queue.add('answer', job, { ...chatJobOptions, jobId });
  return jobId;
}
