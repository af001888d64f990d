import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';

/**
 * What a job has already posted, kept in Redis so a retried or re-delivered job continues where the last
 * attempt stopped instead of posting again: the root message, the progress message, answer chunks sent.
 */
export interface ReplyState {
  rootId?: string;
  progressId?: string;
  /** Delivery steps done (answer messages, an uploaded file). */
  answeredChunks: number;
  /** The platform refused the answer's file for good: later attempts deliver without it. */
  uploadSkipped: boolean;
  /** Graph images (range-query charts) already uploaded after the answer. */
  graphsPosted: number;
  done: boolean;
}

const TTL_SECONDS = 7 * 24 * 3600;

export function replyStateStore(redis: RedisClient, prefix: string) {
  const key = redisKeys(prefix).replyState;
  return {
    async read(jobId: string): Promise<ReplyState> {
      const fields = await redis.hgetall(key(jobId));
      return {
        rootId: fields.rootId,
        progressId: fields.progressId,
        answeredChunks: Number(fields.answeredChunks ?? 0),
        uploadSkipped: fields.uploadSkipped === '1',
        graphsPosted: Number(fields.graphsPosted ?? 0),
        done: fields.done === '1',
      };
    },
    async write(jobId: string, fields: Partial<Record<'rootId' | 'progressId' | 'answeredChunks' | 'uploadSkipped' | 'graphsPosted' | 'done', string>>): Promise<void> {
      await redis.multi().hset(key(jobId), fields).expire(key(jobId), TTL_SECONDS).exec();
    },
  };
}

export type ReplyStateStore = ReturnType<typeof replyStateStore>;
