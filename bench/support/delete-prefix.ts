import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/queue/redis-keys.ts';

/** Deletes every key under a benchmark's unique QUEUE_PREFIX (`{prefix}:…`); returns how many. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisKeys(prefix).tag}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
