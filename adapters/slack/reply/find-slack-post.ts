import { ErrorCode, type WebClient } from '@slack/web-api';
import { PostLookupError } from '../../../src/chat/errors.ts';
import type { PostKey, PostLookup } from '../../../src/chat/reply-channel.ts';

/** The metadata event type of every message ai4k8s posts with a key. */
export const POST_EVENT_TYPE = 'ai4k8s_post';

/** Slack message metadata naming a post: what `findSlackPost` looks for. */
export function postMetadata(key: PostKey): { event_type: string; event_payload: { job: string; part: string } } {
  return { event_type: POST_EVENT_TYPE, event_payload: { job: key.job, part: key.part } };
}

/** Slack's clock and ours may differ; the lookup starts this much before the recorded intent. */
const CLOCK_SKEW_MS = 10 * 60_000;
const PAGE_SIZE = 200;
/** Enough for a busy channel's ten minutes; a retry comes seconds to minutes after the attempt it repeats. */
const MAX_PAGES = 10;

/** Errors after which looking again will not help; anything else (429, 5xx, network) is retried by the job. */
const REFUSALS = new Set([
  'not_in_channel',
  'channel_not_found',
  'missing_scope',
  'not_allowed_token_type',
  'thread_not_found',
  'is_archived',
  'access_denied',
]);

interface SlackListedMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { id?: string }[];
}

/**
 * Finds a message the bot posted with `key` in its metadata: a root in the channel's history, anything else
 * among the thread's replies, from shortly before the recorded intent on, with `include_all_metadata`. A shared
 * file (which carries no metadata) is found by its file id among the thread's messages.
 */
export async function findSlackPost({
  client,
  channel,
  key,
  lookup,
}: {
  client: WebClient;
  channel: string;
  key: PostKey;
  lookup: PostLookup;
}): Promise<string | undefined> {
  const oldest = ((lookup.since - CLOCK_SKEW_MS) / 1000).toFixed(6);
  const matches = (message: SlackListedMessage) =>
    lookup.fileId !== undefined
      ? (message.files ?? []).some((file) => file.id === lookup.fileId)
      : message.metadata?.event_type === POST_EVENT_TYPE &&
        message.metadata.event_payload?.job === key.job &&
        message.metadata.event_payload.part === key.part;
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const common = { channel, oldest, limit: PAGE_SIZE, include_all_metadata: true, ...(cursor === undefined ? {} : { cursor }) };
      const result =
        lookup.threadId === undefined
          ? await client.conversations.history(common)
          : await client.conversations.replies({ ...common, ts: lookup.threadId });
      const found = ((result.messages ?? []) as SlackListedMessage[]).find((message) => message.ts !== lookup.threadId && matches(message));
      if (found?.ts !== undefined) return lookup.fileId ?? found.ts;
      cursor = result.response_metadata?.next_cursor;
      if (result.has_more !== true || cursor === undefined || cursor === '') return undefined;
    }
  } catch (error) {
    const reason = platformError(error);
    if (reason !== undefined && REFUSALS.has(reason)) throw new PostLookupError(reason, error);
    throw error;
  }
  throw new PostLookupError(`more than ${MAX_PAGES * PAGE_SIZE} messages since the attempt`);
}

function platformError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === ErrorCode.PlatformError && typeof data?.error === 'string' ? data.error : undefined;
}
