import { z } from 'zod';

/** Where an answer goes back to. One shape per platform; the worker picks the replier from `platform`. */
export const slackReplyTargetSchema = z.object({
  platform: z.literal('slack'),
  teamId: z.string(),
  channel: z.string().min(1),
  /** Thread to answer in; absent when the worker must first post the root message for a new question. */
  threadTs: z.string().optional(),
});
export type SlackReplyTarget = z.infer<typeof slackReplyTargetSchema>;

/** The one normalised job every adapter enqueues. */
export const chatJobSchema = z.object({
  platform: z.enum(['slack']),
  /** The platform's own id of this delivery (e.g. a slash command's trigger_id); the job id derives from it. */
  deliveryId: z.string().min(1),
  /** Identifies the conversation (thread) so follow-ups can share memory. */
  conversationKey: z.string().min(1),
  replyTarget: slackReplyTargetSchema,
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  text: z.string(),
  /** ISO-8601 time the gateway received the request. */
  receivedAt: z.string(),
});
export type ChatJob = z.infer<typeof chatJobSchema>;
