import type Anthropic from '@anthropic-ai/sdk';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import { capPinnedTurn } from './cap-pinned-turn.ts';
import { compactHistory } from './compact-history.ts';
import { estimateHistoryTokens } from './estimate-history-tokens.ts';
import { hideOthersToolResults, toolUseIds, type ToolResultOwners } from './hide-others-tool-results.ts';

export interface ConversationStoreOptions {
  redis: RedisClient;
  prefix: string;
  /** A thread's memory expires this long after its last answer. */
  ttlSeconds: number;
  /** Stored history is compacted to about this many tokens (characters / 4). */
  tokenBudget: number;
}

/** Job ids remembered per conversation, so a retried job never appends its turn twice. */
const JOB_IDS_KEPT = 200;
const APPEND_ATTEMPTS = 10;

/** The largest share of the token budget a thread's pinned context may take; the turns get the rest. */
const PINNED_SHARE = 0.5;

/**
 * Compare-and-set on the conversation's version: the new history is computed outside Redis (compaction
 * is TypeScript), so a concurrent answer in the same thread makes this fail and the caller re-reads.
 */
const WRITE_SCRIPT = `
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'jobIds', ARGV[3], 'pinned', ARGV[4], 'messages', ARGV[5], 'fetchedAs', ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[6])
return 1
`;

type Message = Anthropic.MessageParam;

/**
 * The named parts of a thread's pinned context, in the order they lead the history: the alert the thread is
 * about, the timeline of what changed before it (with the operators' runbook guidance), then the findings of its
 * latest automatic investigation. Each is replaced on its own.
 */
export const PINNED_PARTS = ['alert', 'timeline', 'investigation'] as const;
export type PinnedPart = (typeof PINNED_PARTS)[number];
type PinnedParts = Partial<Record<PinnedPart, Message[]>>;

interface Conversation {
  /** The thread's context turns by part (alert, investigation): always first in the history, never dropped by compaction. */
  pinned: PinnedParts;
  /** The answered turns, oldest first, compacted to what the pinned context leaves of the budget. */
  messages: Message[];
  /** Who each tool result in `messages` was fetched as (by tool_use id). */
  owners: ToolResultOwners;
}

/** Who a turn's tool results were fetched as: the asker's X-Ai4k8s-User, undefined when the job named nobody. */
export interface FetchedAs {
  fetchedAs: string | undefined;
}

/** Whom a history is read for: the asker's X-Ai4k8s-User, undefined when the job names nobody. */
export interface HistoryReader {
  reader: string | undefined;
}

/**
 * Thread memory in Redis: which threads the bot takes part in (`{<prefix>}:thread:<key>`), and each
 * conversation's messages — questions, assistant turns, tool calls and results — compacted to a token
 * budget (`{<prefix>}:conversation:<key>`). Both expire `ttlSeconds` after the last write.
 * A thread can have a pinned context (the alert that opened it, and its latest investigation's findings): it
 * always leads the history, each part is replaced (never stacked) when pinned again, all parts together take at
 * most half the budget, and compaction works on the rest.
 * Tool results belong to whoever they were fetched as (`fetchedAs`, the chat user the MCP server acted for): read
 * for someone else, each becomes a note (hideOthersToolResults). The pinned context is shared.
 */
export function conversationStore({ redis, prefix, ttlSeconds, tokenBudget }: ConversationStoreOptions) {
  const { conversation: historyKey, threadMark } = redisKeys(prefix);
  const pinnedBudget = Math.floor(tokenBudget * PINNED_SHARE);
  /** The pinned parts as the history's first messages, in part order, capped together to the pinned share. */
  const renderPinned = (parts: PinnedParts): Message[] =>
    capPinnedTurn({ messages: PINNED_PARTS.flatMap((part) => parts[part] ?? []), tokenBudget: pinnedBudget });

  /** Applies `change` to the conversation unless job `jobId` already did, compacting the turns to what the pinned context leaves. */
  const write = async (key: string, jobId: string, change: (current: Conversation) => Conversation): Promise<boolean> => {
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
      const [version, jobIdsRaw, pinnedRaw, messagesRaw, ownersRaw] = await redis.hmget(
        historyKey(key),
        'version',
        'jobIds',
        'pinned',
        'messages',
        'fetchedAs',
      );
      const jobIds = parseList<string>(jobIdsRaw ?? null);
      if (jobIds.includes(jobId)) return false;
      const next = change({
        pinned: parsePinned(pinnedRaw ?? null),
        messages: parseList<Message>(messagesRaw ?? null),
        owners: parseOwners(ownersRaw ?? null),
      });
      const pinned = renderPinned(next.pinned);
      const pinnedTokens = pinned.length === 0 ? 0 : estimateHistoryTokens(pinned);
      const messages = compactHistory({ messages: next.messages, tokenBudget: tokenBudget - pinnedTokens });
      // The owners of the calls still in memory: dropped turns take theirs along.
      const owners = Object.fromEntries(
        toolUseIds(messages).flatMap((id) => (Object.hasOwn(next.owners, id) ? [[id, next.owners[id] ?? null]] : [])),
      );
      const current = version ?? '0';
      const written = await redis.eval(
        WRITE_SCRIPT,
        2,
        historyKey(key),
        threadMark(key),
        current,
        String(Number(current) + 1),
        JSON.stringify([...jobIds, jobId].slice(-JOB_IDS_KEPT)),
        JSON.stringify(next.pinned),
        JSON.stringify(messages),
        String(ttlSeconds),
        JSON.stringify(owners),
      );
      if (written === 1) return true;
    }
    throw new Error(`conversation ${key} kept changing; could not write the turn of job ${jobId}`);
  };

  return {
    /** Whether the bot takes part in this thread (so a follow-up there needs no mention). */
    async isKnownThread(key: string): Promise<boolean> {
      return (await redis.exists(threadMark(key))) === 1;
    },
    async markThread(key: string): Promise<void> {
      await redis.set(threadMark(key), '1', 'EX', ttlSeconds);
    },
    /**
     * The conversation so far as `reader` may see it: the pinned context, then the turns, oldest first, with tool
     * results fetched as anyone else replaced by a note; empty for a new thread.
     */
    async history(key: string, { reader }: HistoryReader): Promise<Message[]> {
      const [pinned, messages, owners] = await redis.hmget(historyKey(key), 'pinned', 'messages', 'fetchedAs');
      const turns = hideOthersToolResults({ messages: parseList<Message>(messages ?? null), owners: parseOwners(owners ?? null), reader });
      return [...renderPinned(parsePinned(pinned ?? null)), ...turns];
    },
    /** Whether the turn of job `jobId` is in this conversation's memory (appended and not yet forgotten). */
    async hasTurn(key: string, jobId: string): Promise<boolean> {
      return parseList<string>(await redis.hget(historyKey(key), 'jobIds')).includes(jobId);
    },
    /** Appends one answered turn, whose tool results were fetched as `fetchedAs`, unless this job already did; returns whether it appended. */
    append(key: string, jobId: string, turn: readonly Message[], { fetchedAs }: FetchedAs): Promise<boolean> {
      const owned = Object.fromEntries(toolUseIds(turn).map((id) => [id, fetchedAs ?? null]));
      return write(key, jobId, ({ pinned, messages, owners }) => ({
        pinned,
        messages: [...messages, ...turn],
        owners: { ...owners, ...owned },
      }));
    },
    /**
     * Makes `turn` the `part` of the thread's pinned context (default the alert), replacing that part's earlier
     * turn (an alert's latest state replaces the state before; a new investigation's findings the old ones) and
     * leaving the other part as it is, unless this job already did; returns whether it wrote. The turn is
     * user/assistant text (no tool calls), so the history still starts with a question and keeps alternating roles.
     */
    async pin(key: string, jobId: string, turn: readonly Message[], part: PinnedPart = 'alert'): Promise<boolean> {
      assertContextTurn(turn);
      // Each part alone is kept within the pinned share (what is stored stays bounded); all parts together are capped when rendered.
      const capped = capPinnedTurn({ messages: turn, tokenBudget: pinnedBudget });
      return write(key, jobId, ({ pinned, messages, owners }) => ({ pinned: { ...pinned, [part]: capped }, messages, owners }));
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

/** The stored owners of tool results; anything else (missing: a history stored before they were, corrupt) reads as none. */
function parseOwners(raw: string | null): ToolResultOwners {
  if (raw === null) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string | null] => typeof entry[1] === 'string' || entry[1] === null),
    );
  } catch {
    return {};
  }
}

/** The stored pinned parts; a plain list (what a version before named parts wrote) is the alert. */
function parsePinned(raw: string | null): PinnedParts {
  if (raw === null) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (Array.isArray(value)) return { alert: value as Message[] };
    if (typeof value !== 'object' || value === null) return {};
    const stored = value as Record<string, unknown>;
    return Object.fromEntries(PINNED_PARTS.flatMap((part) => (Array.isArray(stored[part]) ? [[part, stored[part] as Message[]]] : [])));
  } catch {
    return {};
  }
}

/** A context turn must keep the history valid wherever it is placed first: user/assistant text, ending on the assistant. */
function assertContextTurn(turn: readonly Message[]): void {
  const valid =
    turn.length >= 2 &&
    turn.length % 2 === 0 &&
    turn.every(
      (m, i) =>
        m.role === (i % 2 === 0 ? 'user' : 'assistant') && (typeof m.content === 'string' || m.content.every((b) => b.type === 'text')),
    );
  if (!valid)
    throw new TypeError('a pinned context turn is user/assistant text messages, starting with the user and ending with the assistant');
}
