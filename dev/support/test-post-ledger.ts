import { Redis } from 'ioredis';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { postLedger, type PostLedger } from '../../src/worker/post-ledger.ts';
import { replyStateStore, type ReplyStateStore } from '../../src/worker/reply-state.ts';
import { testRedisUrl, uniqueName } from '../services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

export interface TestPostLedgers {
  store: ReplyStateStore;
  /** A ledger for one attempt of `jobId`, reading the job's reply state as a new attempt does. */
  attempt(channel: ReplyChannel, jobId?: string): Promise<PostLedger>;
  close(): Promise<void>;
}

/** Post ledgers on the test Redis under a key prefix of their own, for tests of delivery outside a worker. */
export async function testPostLedgers(): Promise<TestPostLedgers> {
  const redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  const prefix = uniqueName('ledger');
  const store = replyStateStore(redis, prefix);
  const logger = createLogger({ level: 'silent' });
  return {
    store,
    attempt: async (channel, jobId = 'job-1') => postLedger({ store, jobId, state: await store.read(jobId), channel, logger }),
    close: async () => {
      const keys = await redis.keys(`${redisKeys(prefix).tag}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
