import { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

/** Every job in a queue under QUEUE_PREFIX `prefix`, whatever its state. */
export async function countJobs(redis: RedisClient, prefix: string, queueName: string): Promise<number> {
  const queue = new Queue(queueName, { connection: redis, prefix: redisKeys(prefix).queuePrefix });
  try {
    const counts = await queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
