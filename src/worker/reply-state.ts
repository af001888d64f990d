import type { Redis } from 'ioredis';

/**
 * What a job has already posted, kept in Redis so a retried or re-delivered job continues where the last
 * attempt stopped instead of posting again: the root message, the progress message, answer chunks sent.
 */
export interface ReplyState {
  rootId?: string;
  progressId?: string;
  answeredChunks: number;
  done: boolean;
}

const TTL_SECONDS = 7 * 24 * 3600;

export function replyStateStore(redis: Redis, prefix: string) {
  const key = (jobId: string) => `${prefix}:reply:${jobId}`;
  return {
    async read(jobId: string): Promise<ReplyState> {
      const fields = await redis.hgetall(key(jobId));
      return {
        rootId: fields.rootId,
        progressId: fields.progressId,
        answeredChunks: Number(fields.answeredChunks ?? 0),
        done: fields.done === '1',
      };
    },
    async write(jobId: string, fields: Partial<Record<'rootId' | 'progressId' | 'answeredChunks' | 'done', string>>): Promise<void> {
      await redis.multi().hset(key(jobId), fields).expire(key(jobId), TTL_SECONDS).exec();
    },
  };
}

export type ReplyStateStore = ReturnType<typeof replyStateStore>;
