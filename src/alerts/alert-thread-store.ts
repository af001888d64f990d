import { createHash, randomUUID } from 'node:crypto';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';

/** The thread of one alert group in one destination. */
export interface AlertThread {
  /** The root message's id: the thread. */
  rootId: string;
  /** The group's state last shown (status and each alert's fingerprint and status). */
  digest: string;
  /** When the gateway received the notification last shown: an older one arriving late is ignored. */
  receivedAt: string;
}

export interface AlertThreadStoreOptions {
  redis: RedisClient;
  prefix: string;
  /** A thread is forgotten this long after its group's last notification (Alertmanager repeats refresh it). */
  ttlSeconds: number;
}

/** How long a notification's handling may hold its group (a few chat calls); a crashed holder frees it after this. */
const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Alert threads in Redis, `{<prefix>}:alert-thread:<group>:<destination>`, and a per-group lock: the
 * notifications of one group are handled one at a time, so concurrent or repeated deliveries see the
 * thread the first one opened and never open a second.
 */
export function alertThreadStore({ redis, prefix, ttlSeconds }: AlertThreadStoreOptions) {
  const group = (groupKey: string) => createHash('sha256').update(groupKey).digest('hex').slice(0, 32);
  const keys = redisKeys(prefix);
  const threadKey = (groupKey: string, destination: string) => keys.alertThread(group(groupKey), destination);
  return {
    async read(groupKey: string, destination: string): Promise<AlertThread | undefined> {
      const fields = await redis.hgetall(threadKey(groupKey, destination));
      if (fields.rootId === undefined) return undefined;
      return { rootId: fields.rootId, digest: fields.digest ?? '', receivedAt: fields.receivedAt ?? '' };
    },
    async write(groupKey: string, destination: string, thread: AlertThread): Promise<void> {
      const key = threadKey(groupKey, destination);
      await redis
        .multi()
        .hset(key, { ...thread })
        .expire(key, ttlSeconds)
        .exec();
    },
    /** What names the thread's posts on the chat platform (the post key's `job`): the group and destination. */
    postJob(groupKey: string, destination: string): string {
      return `alert-thread:${group(groupKey)}:${destination}`;
    },
    /** When an attempt was about to post `part` (epoch ms), if one was (decision 014). */
    async intent(groupKey: string, destination: string, part: string): Promise<number | undefined> {
      const at = await redis.hget(threadKey(groupKey, destination), `intent:${part}`);
      return at === null ? undefined : Number(at);
    },
    /** Recorded before the chat call, so a retry after a crash looks for the post instead of posting again. */
    async recordIntent(groupKey: string, destination: string, part: string, at: number): Promise<void> {
      const key = threadKey(groupKey, destination);
      await redis.multi().hset(key, `intent:${part}`, String(at)).expire(key, ttlSeconds).exec();
    },
    async touch(groupKey: string, destination: string): Promise<void> {
      await redis.expire(threadKey(groupKey, destination), ttlSeconds);
    },
    /** Runs `work` holding the group's lock; waits for another holder up to LOCK_WAIT_MS, then throws (the job retries). */
    async withGroupLock<T>(groupKey: string, work: () => Promise<T>): Promise<T> {
      const key = keys.alertLock(group(groupKey));
      const owner = randomUUID();
      const deadline = Date.now() + LOCK_WAIT_MS;
      while ((await redis.set(key, owner, 'PX', LOCK_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`alert group ${groupKey} stayed locked for ${LOCK_WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      try {
        return await work();
      } finally {
        await redis.eval(RELEASE_SCRIPT, 1, key, owner);
      }
    },
  };
}

export type AlertThreadStore = ReturnType<typeof alertThreadStore>;
