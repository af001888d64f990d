import { createHash, randomUUID } from 'node:crypto';
import type { RedisClient } from '../../../src/queue/create-redis.ts';
import { redisKeys } from '../../../src/queue/redis-keys.ts';
import type { ConsoleConversationSummary, ConsoleEvent } from './console-event.ts';

export type { ConsoleConversationSummary, ConsoleEvent } from './console-event.ts';

/** A stored event with its Redis stream id (the SSE event id, so a reconnecting page resumes after it). */
export interface StoredConsoleEvent {
  streamId: string;
  event: ConsoleEvent;
}

export interface ConsoleConversationsOptions {
  redis: RedisClient;
  prefix: string;
  /** How long a conversation stays after its last event (CONVERSATION_TTL_SECONDS, like thread memory). */
  ttlSeconds: number;
}

/** Bounds one conversation's event stream; a console chat is read by people, not replayed for ever. */
const MAX_EVENTS_PER_CONVERSATION = 2_000;
const MAX_LISTED = 200;

export const CONVERSATION_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** KEYS: marker, stream, index, meta; ARGV: ttl, max events, event JSON, now ms, conversation id. */
const APPEND_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
return 1`;

/**
 * Console conversations in Redis: each is a stream of ConsoleEvents (`{<prefix>}:console:conversation:<id>`)
 * with a small hash of its title and asker beside it, and a sorted set of ids by last activity. The worker
 * writes through the console reply channel; the gateway appends the asker's questions and reads everything.
 */
export function consoleConversations({ redis, prefix, ttlSeconds }: ConsoleConversationsOptions) {
  const keys = redisKeys(prefix);
  const streamKey = keys.consoleConversation;
  const metaKey = keys.consoleConversationMeta;
  const indexKey = keys.consoleConversations;
  return {
    /** Appends an event, refreshes the conversation's expiry and its place among the recent ones. */
    async append(conversationId: string, event: ConsoleEvent): Promise<string> {
      const [added] =
        (await redis
          .multi()
          .xadd(streamKey(conversationId), 'MAXLEN', '~', MAX_EVENTS_PER_CONVERSATION, '*', 'event', JSON.stringify(event))
          .expire(streamKey(conversationId), ttlSeconds)
          .expire(metaKey(conversationId), ttlSeconds)
          .zadd(indexKey, Date.now(), conversationId)
          .exec()) ?? [];
      if (added?.[0] != null) throw added[0];
      return String(added?.[1]);
    },
    /**
     * Appends an event at most once per event id: a retried job posting the same keyed message again changes
     * nothing (one Lua script: a marker per id, set with NX, and the XADD only when it was new).
     */
    async appendOnce(conversationId: string, event: ConsoleEvent): Promise<void> {
      const marker = keys.consolePosted(conversationId, event.id);
      await redis.eval(
        APPEND_ONCE,
        4,
        marker,
        streamKey(conversationId),
        indexKey,
        metaKey(conversationId),
        String(ttlSeconds),
        String(MAX_EVENTS_PER_CONVERSATION),
        JSON.stringify(event),
        String(Date.now()),
        conversationId,
      );
    },
    /** Names a conversation (its first question) once; later questions keep the first title. */
    async describe(conversationId: string, meta: { title: string; user: string }): Promise<void> {
      await redis
        .multi()
        .hsetnx(metaKey(conversationId), 'title', meta.title.slice(0, 120))
        .hsetnx(metaKey(conversationId), 'user', meta.user)
        .expire(metaKey(conversationId), ttlSeconds)
        .exec();
    },
    /** A conversation's title (its first question), or null once it expired. */
    async title(conversationId: string): Promise<string | null> {
      return redis.hget(metaKey(conversationId), 'title');
    },
    /** Events after `afterStreamId` (exclusive; all when undefined), oldest first. */
    async read(conversationId: string, afterStreamId: string | undefined, count = 500): Promise<StoredConsoleEvent[]> {
      const start = afterStreamId === undefined ? '-' : `(${afterStreamId}`;
      const entries = await redis.xrange(streamKey(conversationId), start, '+', 'COUNT', count);
      return entries.flatMap(([streamId, fields]) => {
        const json = fields[fields.indexOf('event') + 1];
        return json === undefined ? [] : [{ streamId, event: JSON.parse(json) as ConsoleEvent }];
      });
    },
    /** The most recently active conversations, newest first; ids whose stream expired are dropped. */
    async recent(limit = 50): Promise<ConsoleConversationSummary[]> {
      const ids = await redis.zrevrange(indexKey, 0, Math.min(limit, MAX_LISTED) - 1, 'WITHSCORES');
      const summaries: ConsoleConversationSummary[] = [];
      const gone: string[] = [];
      for (let i = 0; i + 1 < ids.length; i += 2) {
        const id = ids[i] ?? '';
        const meta = await redis.hgetall(metaKey(id));
        if (meta.title === undefined) {
          gone.push(id);
          continue;
        }
        summaries.push({ id, title: meta.title, user: meta.user ?? '', updatedAt: new Date(Number(ids[i + 1])).toISOString() });
      }
      if (gone.length > 0) await redis.zrem(indexKey, ...gone);
      return summaries;
    },
  };
}

export type ConsoleConversations = ReturnType<typeof consoleConversations>;

/** A fresh id for a message or a conversation. */
export const newConsoleId = (): string => randomUUID().replaceAll('-', '').slice(0, 20);

/** The id of a keyed message: the same for every attempt of the job, so its second append is a no-op. */
export const keyedConsoleId = (key: { job: string; part: string }): string =>
  createHash('sha256').update(`${key.job}\n${key.part}`).digest('hex').slice(0, 20);
