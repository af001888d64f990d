import type Anthropic from '@anthropic-ai/sdk';
import type { Redis } from 'ioredis';
import { compactHistory } from './compact-history.ts';

export interface ConversationStoreOptions {
  redis: Redis;
  prefix: string;
  /** A thread's memory expires this long after its last answer. */
  ttlSeconds: number;
  /** Stored history is compacted to about this many tokens (characters / 4). */
  tokenBudget: number;
}

/** Job ids remembered per conversation, so a retried job never appends its turn twice. */
const JOB_IDS_KEPT = 200;
const APPEND_ATTEMPTS = 10;

/**
 * Compare-and-set on the conversation's version: the new history is computed outside Redis (compaction
 * is TypeScript), so a concurrent answer in the same thread makes this fail and the caller re-reads.
 */
const APPEND_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'jobIds', ARGV[3], 'messages', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[5])
return 1
`;

/**
 * Thread memory in Redis: which threads the bot takes part in (`<prefix>:thread:<key>`), and each
 * conversation's messages — questions, assistant turns, tool calls and results — compacted to a token
 * budget (`<prefix>:conversation:<key>`). Both expire `ttlSeconds` after the last write.
 */
export function conversationStore({ redis, prefix, ttlSeconds, tokenBudget }: ConversationStoreOptions) {
  const historyKey = (key: string) => `${prefix}:conversation:${key}`;
  const threadMark = (key: string) => `${prefix}:thread:${key}`;
  return {
    /** Whether the bot takes part in this thread (so a follow-up there needs no mention). */
    async isKnownThread(key: string): Promise<boolean> {
      return (await redis.exists(threadMark(key))) === 1;
    },
    async markThread(key: string): Promise<void> {
      await redis.set(threadMark(key), '1', 'EX', ttlSeconds);
    },
    /** The conversation so far, oldest first; empty for a new thread. */
    async history(key: string): Promise<Anthropic.MessageParam[]> {
      return parseList<Anthropic.MessageParam>(await redis.hget(historyKey(key), 'messages'));
    },
    /** Whether the turn of job `jobId` is in this conversation's memory (appended and not yet forgotten). */
    async hasTurn(key: string, jobId: string): Promise<boolean> {
      return parseList<string>(await redis.hget(historyKey(key), 'jobIds')).includes(jobId);
    },
    /** Appends one answered turn unless this job already did; returns whether it appended. */
    async append(key: string, jobId: string, turn: readonly Anthropic.MessageParam[]): Promise<boolean> {
      for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
        const [version, jobIdsRaw, messagesRaw] = await redis.hmget(historyKey(key), 'version', 'jobIds', 'messages');
        const jobIds = parseList<string>(jobIdsRaw ?? null);
        if (jobIds.includes(jobId)) return false;
        const messages = compactHistory({ messages: [...parseList<Anthropic.MessageParam>(messagesRaw ?? null), ...turn], tokenBudget });
        const current = version ?? '0';
        const written = await redis.eval(
          APPEND_SCRIPT,
          2,
          historyKey(key),
          threadMark(key),
          current,
          String(Number(current) + 1),
          JSON.stringify([...jobIds, jobId].slice(-JOB_IDS_KEPT)),
          JSON.stringify(messages),
          String(ttlSeconds),
        );
        if (written === 1) return true;
      }
      throw new Error(`conversation ${key} kept changing; could not append the turn of job ${jobId}`);
    },
  };
}

export type ConversationStore = ReturnType<typeof conversationStore>;

/** A JSON list written by this store; anything else (missing, corrupt) reads as empty. */
function parseList<T>(raw: string | null): T[] {
  if (raw === null) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
