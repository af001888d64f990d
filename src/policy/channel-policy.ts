import type { PendingAction } from '../queue/pending-action.ts';
import type { ChannelPolicyEntry, PolicyFile } from './policy-schema.ts';

/** What one channel may do, resolved from AI4K8S_POLICY's `channels` (its own entry, else `default`). */
export interface ChannelPolicy extends ChannelPolicyEntry {
  /** The policy entry that applied: the channel id, `default`, or `built-in` without a `channels` section. */
  entry: string;
}

/** Without a `channels` section: every namespace and context, write tools (when the MCP server offers them) behind approval. */
export const BUILT_IN_CHANNEL_POLICY: ChannelPolicy = {
  entry: 'built-in',
  contexts: ['*'],
  namespaces: ['*'],
  tier: 'write',
  namespaceApprovers: {},
};

/** Where a conversation happens, as every reply target names it. */
export interface ChannelRef {
  platform: string;
  teamId: string;
  channel: string;
}

export const channelIdOf = ({ platform, teamId, channel }: ChannelRef) => `${platform}:${teamId}:${channel}`;

export function channelPolicyFor(policy: PolicyFile | undefined, where: ChannelRef): ChannelPolicy {
  const channels = policy?.channels;
  if (channels === undefined) return BUILT_IN_CHANNEL_POLICY;
  const id = channelIdOf(where);
  const own = channels[id];
  if (own !== undefined) return { ...own, entry: id };
  const fallback = channels.default;
  return fallback === undefined ? BUILT_IN_CHANNEL_POLICY : { ...fallback, entry: 'default' };
}

/** Whether `allowed` (a policy list where `*` means any) admits `name`. */
export const admits = (allowed: readonly string[], name: string): boolean => allowed.includes('*') || allowed.includes(name);

/**
 * The approvers the policy names for an action: its namespace's (namespaceApprovers), else its channel's
 * (approvers); undefined when it names none, so APPROVERS applies.
 */
export function approversFor(policy: PolicyFile | undefined, action: PendingAction): readonly string[] | undefined {
  const channel = channelPolicyFor(policy, action.replyTarget);
  const namespace = action.arguments.namespace;
  const byNamespace =
    typeof namespace === 'string' ? (channel.namespaceApprovers[namespace] ?? channel.namespaceApprovers['*']) : undefined;
  return byNamespace ?? channel.approvers;
}
