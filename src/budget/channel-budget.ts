import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';

export interface ChannelBudgetOptions {
  redis: RedisClient;
  prefix: string;
  /** CHANNEL_DAILY_TOKENS: input + output tokens a channel may spend per UTC day; 0: unlimited. */
  dailyTokens: number;
}

export interface ChannelBudget {
  readonly dailyTokens: number;
  /** Whether the channel has spent its budget for today (never, when unlimited). */
  isSpent(channelKey: string, now?: Date): Promise<boolean>;
  /** Adds an answer's tokens to today's count. */
  add(channelKey: string, tokens: number, now?: Date): Promise<void>;
}

/** A day's counter outlives its day by a day, so a late answer around midnight still finds it. */
const KEEP_SECONDS = 2 * 24 * 3600;

/**
 * A per-channel daily token budget: one Redis counter per channel per UTC day (`{<prefix>}:budget:<channel>:<day>`,
 * INCRBY + EXPIRE). It is checked before an answer starts and charged after it, so the answer that crosses the
 * budget finishes and the next one is refused; answers running concurrently may overshoot it by their own usage.
 */
export function channelBudget({ redis, prefix, dailyTokens }: ChannelBudgetOptions): ChannelBudget {
  const key = (channelKey: string, now: Date) => redisKeys(prefix).budget(channelKey, now.toISOString().slice(0, 10));
  return {
    dailyTokens,
    async isSpent(channelKey, now = new Date()) {
      if (dailyTokens === 0) return false;
      return Number((await redis.get(key(channelKey, now))) ?? 0) >= dailyTokens;
    },
    async add(channelKey, tokens, now = new Date()) {
      if (dailyTokens === 0 || tokens <= 0) return;
      await redis.multi().incrby(key(channelKey, now), tokens).expire(key(channelKey, now), KEEP_SECONDS).exec();
    },
  };
}
