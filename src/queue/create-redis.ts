import { Redis } from 'ioredis';
import type { Logger } from '../log/create-logger.ts';
import { logErrors } from './log-errors.ts';

/**
 * An ioredis connection as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait out a
 * Redis restart instead of failing the worker. Its errors are logged as JSON.
 */
export function createRedis({ url, name, logger }: { url: string; name: string; logger: Logger }): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: `ai4k8s-${name}` });
  logErrors(redis, logger, `redis connection (${name})`);
  return redis;
}

/**
 * A connection that never holds a command back: while Redis is away a command fails at once instead of waiting
 * in ioredis's offline queue (and running when Redis returns); a command in flight when the connection drops
 * fails instead of being sent again; an answer slower than `commandTimeoutMs` fails. The gateway enqueues
 * through it, so an ack reflects what is in Redis (decision 014).
 */
export function createFailFastRedis({ url, name, logger, commandTimeoutMs }: { url: string; name: string; logger: Logger; commandTimeoutMs: number }): Redis {
  const redis = new Redis(url, {
    connectionName: `ai4k8s-${name}`,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
  });
  logErrors(redis, logger, `redis connection (${name})`);
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
