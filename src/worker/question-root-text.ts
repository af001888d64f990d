import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { ChatJob } from '../queue/chat-job.ts';

/** The visible root message of a slash command's thread: the question and who asked. */
export const questionRootText = (channel: Pick<ReplyChannel, 'format'>, job: Pick<ChatJob, 'text' | 'user'>): string =>
  `${channel.format(job.text)} — asked by <@${job.user.id}>`;
