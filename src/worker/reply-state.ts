import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';

/** An attempt was about to post `part`: when (epoch ms), and the platform's file id once an upload has one. */
export interface PostIntent {
  at: number;
  fileId?: string;
}

/**
 * What a job has already posted, kept in Redis so a retried or re-delivered job continues where the last
 * attempt stopped instead of posting again. Every keyed post is recorded twice: its intent before the chat
 * call and its id after, so a retry that finds an intent without an id looks the message up on the platform
 * (decision 014).
 */
export interface ReplyState {
  /** Message ids by part (root, progress, answer:<n>, file:<n>, graph:<n>, failure…). */
  posted: Record<string, string>;
  intents: Record<string, PostIntent>;
  /** Delivery steps done (answer messages, an uploaded file). */
  answeredChunks: number;
  /** The platform refused the answer's file for good: later attempts deliver without it. */
  uploadSkipped: boolean;
  /** Graph images (range-query charts) already uploaded after the answer. */
  graphsPosted: number;
  /** Times the job was put back in the queue because the model or the tool server was unavailable. */
  deferrals: number;
  /** Epoch ms of the first such deferral: the retry window counts from it. */
  firstDeferredAt: number | undefined;
  done: boolean;
}

export type ReplyStateField = 'answeredChunks' | 'uploadSkipped' | 'graphsPosted' | 'deferrals' | 'firstDeferredAt' | 'done';

const TTL_SECONDS = 7 * 24 * 3600;
const POSTED = 'posted:';
const INTENT = 'intent:';

export function replyStateStore(redis: RedisClient, prefix: string) {
  const key = redisKeys(prefix).replyState;
  const write = async (jobId: string, fields: Record<string, string>) => {
    await redis.multi().hset(key(jobId), fields).expire(key(jobId), TTL_SECONDS).exec();
  };
  return {
    async read(jobId: string): Promise<ReplyState> {
      const fields = await redis.hgetall(key(jobId));
      const posted: Record<string, string> = {};
      const intents: Record<string, PostIntent> = {};
      for (const [name, value] of Object.entries(fields)) {
        if (name.startsWith(POSTED)) posted[name.slice(POSTED.length)] = value;
        else if (name.startsWith(INTENT)) intents[name.slice(INTENT.length)] = JSON.parse(value) as PostIntent;
      }
      return {
        posted,
        intents,
        answeredChunks: Number(fields.answeredChunks ?? 0),
        uploadSkipped: fields.uploadSkipped === '1',
        graphsPosted: Number(fields.graphsPosted ?? 0),
        deferrals: Number(fields.deferrals ?? 0),
        firstDeferredAt: fields.firstDeferredAt === undefined ? undefined : Number(fields.firstDeferredAt),
        done: fields.done === '1',
      };
    },
    async write(jobId: string, fields: Partial<Record<ReplyStateField, string>>): Promise<void> {
      await write(jobId, fields);
    },
    async recordIntent(jobId: string, part: string, intent: PostIntent): Promise<void> {
      await write(jobId, { [`${INTENT}${part}`]: JSON.stringify(intent) });
    },
    async recordPosted(jobId: string, part: string, id: string): Promise<void> {
      await write(jobId, { [`${POSTED}${part}`]: id });
    },
  };
}

export type ReplyStateStore = ReturnType<typeof replyStateStore>;
