import { z } from 'zod';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { threadKey } from '../../src/memory/thread-key.ts';

/** The fields of an `app_mention` or `message` event that decide whether and how the bot answers. */
const chatEventSchema = z.object({
  type: z.enum(['app_mention', 'message']),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
});

export type ChatEventDecision =
  | { kind: 'ignore'; reason: string }
  /** `followUp`: a thread message without a mention; answer only if the bot takes part in the thread. */
  | { kind: 'answer' | 'followUp'; job: ChatJob; threadKey: string };

export interface ChatEventJobOptions {
  event: unknown;
  teamId: string;
  /** The bot's own user id (mentions of it are stripped, its messages ignored); undefined if unknown. */
  botUserId: string | undefined;
}

/**
 * Normalises a mention, a DM or a thread message into a ChatJob, or says why not. The delivery id is the
 * channel and message ts, so the `app_mention` and `message` events of one message, and Slack's retries
 * of either, are one job. The answer goes in the message's thread (its own ts when it starts one).
 */
export function chatEventJob({ event, teamId, botUserId }: ChatEventJobOptions): ChatEventDecision {
  const parsed = chatEventSchema.safeParse(event);
  if (!parsed.success) return { kind: 'ignore', reason: 'not a chat message' };
  const e = parsed.data;
  if (e.bot_id !== undefined || e.user === undefined || e.user === botUserId)
    return { kind: 'ignore', reason: 'from a bot or the bot itself' };
  if (e.subtype !== undefined) return { kind: 'ignore', reason: `message subtype ${e.subtype}` };
  const dm = e.type === 'message' && e.channel_type === 'im';
  if (e.type === 'message' && !dm && e.thread_ts === undefined) return { kind: 'ignore', reason: 'channel message without a mention' };
  // An empty mention or an over-long question is enqueued too: the worker answers it with usage or a
  // refusal (questionNotice), so the gateway never calls Slack in the request path.
  const text = withoutMention(e.text ?? '', botUserId, e.type === 'app_mention');
  const replyTarget = { platform: 'slack' as const, teamId, channel: e.channel, threadTs: e.thread_ts ?? e.ts };
  const key = threadKey(replyTarget, replyTarget.threadTs);
  const job: ChatJob = {
    platform: 'slack',
    deliveryId: `message:${teamId}:${e.channel}:${e.ts}`,
    conversationKey: key,
    replyTarget,
    user: { id: e.user },
    text,
    receivedAt: new Date().toISOString(),
  };
  const followUp = e.type === 'message' && !dm;
  return { kind: followUp ? 'followUp' : 'answer', job, threadKey: key };
}

/** Removes mentions of the bot; without its id, the leading mention of an app_mention (which is the bot's). */
function withoutMention(text: string, botUserId: string | undefined, isMention: boolean): string {
  if (botUserId !== undefined) return withoutMentionsOf(text, botUserId).trim();
  return (isMention ? text.replace(/^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/, '') : text).trim();
}

/**
 * Every `<@ID>` or `<@ID|label>` of one user, each replaced by a space. A scan, not `<@ID(\|[^>]*)?>` with `g`:
 * that pattern read to the end of the text from each `<@ID|` without a `>` (quadratic in the message).
 */
function withoutMentionsOf(text: string, userId: string): string {
  const opening = `<@${userId}`;
  let out = '';
  let copied = 0;
  let nextClose = -1;
  for (let at = text.indexOf(opening); at !== -1; at = text.indexOf(opening, at + 1)) {
    let end = at + opening.length;
    if (text.charCodeAt(end) === 124) {
      if (nextClose < end) nextClose = text.indexOf('>', end);
      if (nextClose === -1) break;
      end = nextClose;
    }
    if (text.charCodeAt(end) !== 62) continue;
    out += `${text.slice(copied, at)} `;
    copied = end + 1;
    at = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
