import { z } from 'zod';
import { teamsReplyTargetSchema } from '../queue/chat-job.ts';

/** A Slack channel id: threads are keyed by it, and follow-up events name channels by id, never by name. */
export const slackChannelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id such as C0123ABCD (not a #name)' });

/** A Teams conversation reference: what the worker needs to post proactively there (no thread yet). */
export const teamsConversationSchema = teamsReplyTargetSchema.omit({ platform: true, threadTs: true });
export type TeamsConversation = z.infer<typeof teamsConversationSchema>;

const labelsSchema = z.record(z.string(), z.string());

const routeSchema = z.strictObject({
  /** Matches the Alertmanager receiver name. */
  receiver: z.string().min(1).optional(),
  /** Every label must equal this value in the group's common labels. */
  labels: labelsSchema.optional(),
  slackChannel: slackChannelId.optional(),
  teamsConversation: teamsConversationSchema.optional(),
  /** Keep looking at the next routes after this one matched (as in Alertmanager). */
  continue: z.boolean().default(false),
});

const investigateSchema = z.strictObject({
  receiver: z.string().min(1).optional(),
  /** Matches when the `severity` label of a firing alert is one of these. */
  severity: z.array(z.string().min(1)).optional(),
  labels: labelsSchema.optional(),
});

/** The `alerts:` section of the policy file (AI4K8S_POLICY). */
export const alertPolicySchema = z.strictObject({
  routes: z.array(routeSchema).default([]),
  /** A firing group matching any entry gets an automatic investigation in its thread. */
  investigate: z.array(investigateSchema).default([]),
});
export type AlertPolicy = z.output<typeof alertPolicySchema>;
