import { z } from 'zod';

/**
 * Where an answer goes back to. Every platform names the same three things, so thread memory, audit and
 * budgets work alike: `teamId` (Slack workspace / Teams tenant), `channel` (channel or conversation id)
 * and `threadTs` (the thread / reply chain, absent when the worker must first post the root message).
 * The worker picks the replier from `platform`.
 */
const replyTargetBase = {
  teamId: z.string(),
  channel: z.string().min(1),
  threadTs: z.string().optional(),
};

export const slackReplyTargetSchema = z.object({ platform: z.literal('slack'), ...replyTargetBase });
export type SlackReplyTarget = z.infer<typeof slackReplyTargetSchema>;

/** A Teams conversation reference: what the worker needs to reply proactively (continueConversation). */
export const teamsReplyTargetSchema = z.object({
  platform: z.literal('teams'),
  ...replyTargetBase,
  serviceUrl: z.url(),
  /** The bot's own account in the conversation (recipient of the incoming activity). */
  bot: z.object({ id: z.string().min(1), name: z.string().optional() }),
  conversationType: z.string().optional(),
  /** The Bot Framework channel the activity came through: `msteams`, or `emulator` (default msteams). */
  channelId: z.string().min(1).optional(),
});
export type TeamsReplyTarget = z.infer<typeof teamsReplyTargetSchema>;

/** The web console: `channel` is the console conversation id. */
export const consoleReplyTargetSchema = z.object({ platform: z.literal('console'), ...replyTargetBase });
export type ConsoleReplyTarget = z.infer<typeof consoleReplyTargetSchema>;

export const replyTargetSchema = z.discriminatedUnion('platform', [
  slackReplyTargetSchema,
  teamsReplyTargetSchema,
  consoleReplyTargetSchema,
]);
export type ReplyTarget = z.infer<typeof replyTargetSchema>;
export type Platform = ReplyTarget['platform'];

/** The one normalised job every adapter enqueues. */
export const chatJobSchema = z.object({
  platform: z.enum(['slack', 'teams', 'console']),
  /** The platform's own id of this delivery (e.g. a slash command's trigger_id); the job id derives from it. */
  deliveryId: z.string().min(1),
  /** Identifies the conversation (thread) so follow-ups can share memory. */
  conversationKey: z.string().min(1),
  replyTarget: replyTargetSchema,
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  text: z.string(),
  /** ISO-8601 time the gateway received the request. */
  receivedAt: z.string(),
  /**
   * Set on the job the approval worker enqueues after an approval, denial or expiry: `text` tells the model the
   * outcome, and the answer continues the thread of job `afterJobId` (once that job's turn is in memory).
   */
  continuation: z.object({ approvalToken: z.string().min(1), afterJobId: z.string().min(1) }).optional(),
  /**
   * Set on an alert thread's automatic investigation: after delivering, the worker pins the answer's text as the
   * thread's earlier findings, so compaction of a long thread never drops them.
   */
  purpose: z.literal('alert_investigation').optional(),
});
export type ChatJob = z.infer<typeof chatJobSchema>;
