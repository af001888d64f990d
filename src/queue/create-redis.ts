import { Redis } from 'ioredis';

/**
 * An ioredis connection as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait out a
 * Redis restart instead of failing the worker.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: `ai4k8s-${name}`, lazyConnect: false });
}

/** True when Redis answers PING within the time limit. */
export async function redisAnswers(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((r) => r === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
