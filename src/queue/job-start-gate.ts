import type { RedisClient } from './create-redis.ts';
import { redisKeys } from './redis-keys.ts';

/** Kept as long as a finished job is (a re-delivery within it maps to the same job id). */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Whether a chat job may start: the first worker to take it marks it `started`; a gateway that could not tell
 * whether its enqueue reached Redis (the connection died with the command in flight) marks it `cancelled`. Both
 * use SET NX, so exactly one of them wins and an unconfirmed question is either answered or never started —
 * never answered after the user was told to ask again (decision 014).
 */
export function jobStartGate(redis: RedisClient, prefix: string) {
  const key = redisKeys(prefix).jobStart;
  return {
    /** `started` for the job's first and every later attempt, `cancelled` when the gateway cancelled it first. */
    async claim(jobId: string): Promise<'started' | 'cancelled'> {
      if ((await redis.set(key(jobId), 'started', 'EX', TTL_SECONDS, 'NX')) === 'OK') return 'started';
      return (await redis.get(key(jobId))) === 'cancelled' ? 'cancelled' : 'started';
    },
    /** True when the cancellation won (no worker had started the job, and none ever will). */
    async cancel(jobId: string): Promise<boolean> {
      return (await redis.set(key(jobId), 'cancelled', 'EX', TTL_SECONDS, 'NX')) === 'OK';
    },
  };
}

export type JobStartGate = ReturnType<typeof jobStartGate>;
