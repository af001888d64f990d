import { Redis } from 'ioredis';
import type { Logger } from '../log/create-logger.ts';

/**
 * An ioredis connection as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait out a
 * Redis restart instead of failing the worker.
 */
export function createRedis({ url, name, logger }: { url: string; name: string; logger: Logger }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: `ai4k8s-${name}` });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    // ioredis reconnects by itself; log at most every 10 s so an outage does not flood the log.
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn({ err: error, redis: name }, 'redis connection error; retrying');
  });
  return redis;
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
