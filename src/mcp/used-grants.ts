import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';

/** How long past its expiry a used grant id is remembered: covers clock differences between MCP server replicas. */
const REMEMBER_AFTER_EXPIRY_MS = 60_000;

/** The ids of approval grants already used, shared by every MCP server replica through Redis. */
export interface UsedGrants {
  /** True for exactly one caller per grant id, across replicas (SET NX); false for every replay. */
  consume(id: string, expiresAt: number): Promise<boolean>;
}

/** `{<prefix>}:grant-used:<id>`, set with NX and a TTL just past the grant's expiry, after which it is refused anyway. */
export function usedGrants({ redis, prefix }: { redis: RedisClient; prefix: string }): UsedGrants {
  return {
    async consume(id, expiresAt) {
      const ttlMs = Math.max(1_000, expiresAt - Date.now() + REMEMBER_AFTER_EXPIRY_MS);
      return (await redis.set(redisKeys(prefix).grantUsed(id), String(Date.now()), 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}
