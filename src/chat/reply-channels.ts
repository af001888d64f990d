import type { Platform, ReplyTarget } from '../queue/chat-job.ts';
import { redactedReplyChannel } from './redacted-reply-channel.ts';
import type { ReplyChannel } from './reply-channel.ts';

/** One factory per configured platform: how to write into a conversation there. */
export type ReplyChannelFactories = { [P in Platform]?: (target: Extract<ReplyTarget, { platform: P }>) => ReplyChannel };

/**
 * Picks the reply channel for a target by its platform; a platform this worker is not configured for is an error.
 * Every channel the worker writes through comes from here, wrapped so that whatever it posts is redacted first.
 */
export function replyChannelFor(factories: ReplyChannelFactories, target: ReplyTarget): ReplyChannel {
  const factory = factories[target.platform] as ((target: ReplyTarget) => ReplyChannel) | undefined;
  if (factory === undefined)
    throw new Error(`a ${target.platform} reply is needed but ${target.platform} is not configured on this worker`);
  return redactedReplyChannel(factory(target));
}
