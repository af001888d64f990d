import { z } from 'zod';
import { alertPolicySchema } from './alert-policy.ts';
import { digestPolicySchema } from './digest-policy.ts';
import { runbookPolicySchema, type Runbook } from '../runbooks/runbook-policy.ts';

/** How a chat user is named on the wire: `<platform>:<workspace or tenant>:<user id>`, e.g. slack:T0123:U0456. */
export const CHAT_USER = /^[a-z][a-z0-9-]*:[\x21-\x7e]{1,250}$/;

/**
 * How a channel is named in the policy: `<platform>:<workspace or tenant>:<channel or conversation id>`, e.g.
 * slack:T0123:C0456 or teams:<tenant>:19:abc@thread.tacv2 (the channel part may hold colons; the team may not).
 */
export const CHANNEL_ID = /^[a-z][a-z0-9-]*:[^:\s]+:\S+$/;

const kubeName = z.string({ error: 'expected a Kubernetes user or group name' }).min(1, { error: 'expected a non-empty name' }).max(253);

const identitySchema = z.strictObject({
  user: kubeName.describe('Kubernetes user name the cluster sees (Impersonate-User)'),
  groups: z.array(kubeName).default([]).describe('Kubernetes groups (one Impersonate-Group each)'),
});

const identitiesSchema = z.strictObject({
  unmapped: z.enum(['refuse', 'server'], { error: 'expected refuse or server' }).default('refuse'),
  users: z
    .record(z.string().regex(CHAT_USER), identitySchema, {
      error: (issue) => (issue.code === 'invalid_key' ? 'expected a chat user id like slack:T0123:U0456' : undefined),
    })
    .default({}),
});

const chatUserId = z
  .string({ error: 'expected a chat user id like slack:T0123:U0456' })
  .regex(CHAT_USER, { error: 'expected a chat user id like slack:T0123:U0456' });
const approverList = z.array(chatUserId, { error: 'expected a list of chat user ids like [slack:T0123:U0456]' });
const namespaceOrAll = z
  .string({ error: 'expected a namespace name or *' })
  .regex(/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, { error: 'expected a namespace name (lower-case letters, digits and -) or *' })
  .max(63);
const contextOrAll = z
  .string({ error: 'expected a kube context name, default or *' })
  .min(1, { error: 'expected a kube context name, default or *' })
  .max(253);

/** What one channel may do. Every field narrows; an absent one keeps today's behaviour. */
const channelSchema = z.strictObject({
  /**
   * Kube contexts a tool call may name in its `context` argument; `default` is the MCP server's own context
   * (a call naming none), `*` any.
   */
  contexts: z
    .array(contextOrAll, { error: 'expected a list of context names, e.g. [default] or ["*"]' })
    .min(1, { error: 'expected at least one context (or "*")' })
    .default(['*']),
  /** Namespaces a tool call may touch; `*` all. Restricted: cluster-wide calls (no namespace) are refused. */
  namespaces: z
    .array(namespaceOrAll, { error: 'expected a list of namespace names, e.g. [payments] or ["*"]' })
    .min(1, { error: 'expected at least one namespace (or "*")' })
    .default(['*']),
  /** read: only read-only tools are offered; write: write tools too (each still needs an approval). */
  tier: z.enum(['read', 'write'], { error: 'expected read or write' }).default('write'),
  /** Who may approve this channel's writes; absent: APPROVERS. */
  approvers: approverList.optional(),
  /** Approvers for writes in one namespace, instead of `approvers`. */
  namespaceApprovers: z
    .record(namespaceOrAll, approverList, {
      error: (issue) => (issue.code === 'invalid_key' ? 'expected a namespace name' : undefined),
    })
    .default({}),
});
export type ChannelPolicyEntry = z.output<typeof channelSchema>;

/**
 * AI4K8S_POLICY. Strict, so a misspelt key fails at start instead of silently leaving a chat user with the
 * server's own rights or a channel unrestricted. Every section is validated here, once, by loadConfig; each
 * section's schema lives with the module that uses it (`alerts`: src/alerts, `runbooks`: src/runbooks,
 * `digests`: src/digests).
 */
export const policyFileSchema = z
  .strictObject({
    identities: identitiesSchema.optional(),
    channels: z
      .record(z.string().regex(CHANNEL_ID).or(z.literal('default')), channelSchema, {
        error: (issue) => (issue.code === 'invalid_key' ? 'expected "default" or a channel id like slack:T0123:C0456' : undefined),
      })
      .optional(),
    alerts: alertPolicySchema.prefault({}),
    runbooks: runbookPolicySchema,
    digests: digestPolicySchema,
  })
  .superRefine((file, ctx) => {
    if (file.channels !== undefined && file.channels.default === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['channels', 'default'],
        message: 'required when channels are listed: what every other channel may do (e.g. tier: read)',
      });
    }
  });

/** AI4K8S_POLICY as loadConfig hands it to every role: each section validated, runbook files read (loadPolicy). */
export type PolicyFile = Omit<z.output<typeof policyFileSchema>, 'runbooks'> & { runbooks: Runbook[] };
export type IdentityPolicy = z.output<typeof identitiesSchema>;
