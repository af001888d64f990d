import { z } from 'zod';
import type { ApprovalClicker } from '../../src/approval/approval-clicker.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../src/chat/approval-card.ts';
import { threadKey } from '../../src/memory/thread-key.ts';
import type { ChatJob, TeamsReplyTarget } from '../../src/queue/chat-job.ts';

const account = z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });

/** The fields of a Bot Framework activity the bot relies on; anything else is passed over. */
export const teamsActivitySchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: account,
  recipient: account,
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  text: z.string().optional(),
  value: z.unknown().optional(),
  replyToId: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  channelData: z.looseObject({ tenant: z.object({ id: z.string() }).optional() }).optional(),
});
export type TeamsActivity = z.infer<typeof teamsActivitySchema>;

const mentionSchema = z.object({ type: z.literal('mention'), text: z.string().optional(), mentioned: z.object({ id: z.string() }) });
const submitSchema = z.object({
  ai4k8sAction: z.enum([APPROVE_ACTION_ID, DENY_ACTION_ID]),
  token: z.string(),
  digest: z.string().max(64).optional(),
});

export type TeamsActivityDecision =
  | { kind: 'malformed'; reason: string }
  | { kind: 'ignore'; reason: string }
  /** An Approve / Deny click on an approval card (Action.Submit arrives as a message with `value`). */
  | {
      kind: 'approval';
      decision: 'approved' | 'denied';
      token: string;
      digest: string | undefined;
      clicker: ApprovalClicker;
      replyTarget: TeamsReplyTarget;
    }
  /** `followUp`: a channel or group message without a mention; answer only if the bot takes part in the thread. */
  | { kind: 'answer' | 'followUp'; job: ChatJob; threadKey: string };

/**
 * Normalises an incoming activity into a ChatJob, an approval click, or says why not. The delivery id is the
 * conversation and activity id, so a re-delivered activity is one job. In a channel the answer goes into the
 * reply chain of the message (`;messageid=` of the conversation id, else the activity itself); a 1:1 or group
 * chat has no reply chains, so the chat is the conversation.
 */
export function teamsActivityJob(body: unknown): TeamsActivityDecision {
  const parsed = teamsActivitySchema.safeParse(body);
  if (!parsed.success)
    return { kind: 'malformed', reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`).join('; ') };
  const a = parsed.data;
  if (a.type !== 'message') return { kind: 'ignore', reason: `activity type ${a.type}` };
  if (a.from.id === a.recipient.id) return { kind: 'ignore', reason: 'from the bot itself' };
  const replyTarget = replyTargetOf(a);
  const tenant = replyTarget.teamId;
  const userId = a.from.aadObjectId ?? a.from.id;
  const submit = submitSchema.safeParse(a.value);
  if (submit.success) {
    const decision = submit.data.ai4k8sAction === APPROVE_ACTION_ID ? 'approved' : 'denied';
    const name = displayName(a.from.name);
    const clicker = {
      platform: 'teams' as const,
      teamId: tenant,
      id: userId,
      channel: replyTarget.channel,
      ...(name === undefined ? {} : { name }),
    };
    return { kind: 'approval', decision, token: submit.data.token, digest: submit.data.digest, clicker, replyTarget };
  }
  const mentions = (a.entities ?? []).flatMap((e) => {
    const mention = mentionSchema.safeParse(e);
    return mention.success && mention.data.mentioned.id === a.recipient.id ? [mention.data] : [];
  });
  const text = withoutMentions(a.text ?? '', mentions);
  const personal = (a.conversation.conversationType ?? 'personal') === 'personal';
  const addressed = personal || mentions.length > 0;
  // Addressed but empty (usage) or over the limit (a refusal): still queued, so the worker answers it like Slack's.
  if (text === '' && !addressed) return { kind: 'ignore', reason: 'empty message' };
  const key = threadKey(replyTarget, replyTarget.threadTs ?? a.id);
  const job: ChatJob = {
    platform: 'teams',
    deliveryId: `activity:${a.conversation.id}:${a.id}`,
    conversationKey: key,
    replyTarget,
    user: { id: userId, ...(a.from.name === undefined ? {} : { name: a.from.name }) },
    text,
    receivedAt: new Date().toISOString(),
  };
  return { kind: addressed ? 'answer' : 'followUp', job, threadKey: key };
}

function replyTargetOf(a: TeamsActivity): TeamsReplyTarget {
  const type = a.conversation.conversationType ?? 'personal';
  const tenant = a.conversation.tenantId ?? a.channelData?.tenant?.id ?? '';
  const base = {
    platform: 'teams' as const,
    teamId: tenant,
    serviceUrl: a.serviceUrl,
    bot: { id: a.recipient.id, ...(a.recipient.name === undefined ? {} : { name: a.recipient.name }) },
    conversationType: type,
    channelId: a.channelId,
  };
  if (type !== 'channel') return { ...base, channel: a.conversation.id, threadTs: a.conversation.id };
  const chain = /^(.+);messageid=([^;]+)$/.exec(a.conversation.id);
  return { ...base, channel: chain?.[1] ?? a.conversation.id, threadTs: chain?.[2] ?? a.replyToId ?? a.id };
}

/** A bot is mentioned by one or two names; more distinct texts only make one scan of the message each. */
const MENTION_TEXTS = 4;

/** Removes the bot's @mentions (their `<at>…</at>` text from the mention entities) and Teams' HTML spaces. */
function withoutMentions(text: string, mentions: readonly { text?: string | undefined }[]): string {
  const texts = [
    ...new Set(mentions.flatMap((mention) => (mention.text === undefined || mention.text === '' ? [] : [mention.text]))),
  ].slice(0, MENTION_TEXTS);
  let out = text;
  for (const mention of texts) out = out.replaceAll(mention, ' ');
  return out
    .replaceAll('&nbsp;', ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * The clicker's display name as the card shows it: one plain line, without the characters Markdown, mentions or
 * Adaptive Card functions (`{{…}}`) would act on, at most 64 characters. Undefined when nothing is left.
 */
export function displayName(name: string | undefined): string | undefined {
  // Only the first 64 characters are kept: no need to clean a megabyte to find them.
  const plain = (name ?? '')
    .slice(0, 1_024)
    .replace(/[\p{Cc}*_~`#<>[\]{}|\\]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 64)
    .trim();
  return plain === '' ? undefined : plain;
}
