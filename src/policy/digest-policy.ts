import { z } from 'zod';
import { teamsReplyTargetSchema } from '../queue/chat-job.ts';

/** Five cron fields (minute to weekday), or six with seconds first; each field digits, names, * , - / ? L W #. */
const CRON = /^(?:[\w*,/?#-]+\s+){4,5}[\w*,/?#-]+$/;

const teamsConversationSchema = teamsReplyTargetSchema.omit({ platform: true, threadTs: true });

const digestSchema = z
  .strictObject({
    /** Names the schedule (its BullMQ job scheduler is `digest:<name>`) and the message. */
    name: z
      .string({ error: 'expected a name' })
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'expected lower-case letters, digits and - (a schedule id)' }),
    /** Cron, e.g. "0 8 * * 1-5" (08:00 on weekdays); six fields put seconds first. */
    schedule: z
      .string({ error: 'expected a cron schedule such as "0 8 * * 1-5"' })
      .regex(CRON, { error: 'expected a cron schedule such as "0 8 * * 1-5" (5 fields, or 6 with seconds first)' }),
    /** IANA time zone of the schedule; UTC when absent. */
    timezone: z
      .string()
      .refine((zone) => isTimeZone(zone), { error: 'expected an IANA time zone such as Europe/Berlin' })
      .optional(),
    slackChannel: z
      .string()
      .regex(/^[CGD][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id such as C0123ABCD (not a #name)' })
      .optional(),
    teamsConversation: teamsConversationSchema.optional(),
    /** Only these namespaces (the channel policy still limits what may be read); every namespace the channel may see when absent. */
    namespaces: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected namespace names' })
          .max(63),
      )
      .min(1)
      .optional(),
  })
  .refine((digest) => (digest.slackChannel === undefined) !== (digest.teamsConversation === undefined), {
    error: 'expected exactly one of slackChannel or teamsConversation',
  });

/** The `digests:` section of AI4K8S_POLICY. */
export const digestPolicySchema = z
  .array(digestSchema, { error: 'expected a list of digests' })
  .default([])
  .refine((digests) => new Set(digests.map((d) => d.name)).size === digests.length, { error: 'expected each digest to have its own name' });

export type DigestPolicy = z.output<typeof digestSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
