import type { TeamsReplyTarget } from '../../../src/queue/chat-job.ts';
import { FileRefusedError } from '../../../src/chat/errors.ts';
import type { ReplyChannel, ReplyFile } from '../../../src/chat/reply-channel.ts';
import { approvalAdaptiveCard, approvalSummary } from './approval-adaptive-card.ts';
import { markdownToTeams } from './markdown-to-teams.ts';
import type { TeamsConversationRef, TeamsConversations } from './teams-conversations.ts';

/** Inline (base64) images Teams shows in a bot message; graphs are far smaller. */
const INLINE_IMAGE_BYTES = 1024 * 1024;

/** Teams accepts about 28 KB per message; like on Slack, a long answer reads better as a few messages. */
export const TEAMS_MESSAGE_CHARS = 4_000;

/** What `uploadFile` can post: images, inline. A long answer therefore goes out as several messages, not a file. */
export const TEAMS_UPLOAD_TYPES = ['image/*'] as const;

export interface TeamsReplyChannelOptions {
  conversations: TeamsConversations;
  target: TeamsReplyTarget;
}

/**
 * Writes into one Teams conversation proactively (the worker holds no incoming turn): into the reply chain of
 * a channel post, or into the 1:1 or group chat itself, which has no reply chains. Progress and approval cards
 * are updated in place.
 */
export function teamsReplyChannel({ conversations, target }: TeamsReplyChannelOptions): ReplyChannel {
  const at = (threadId: string | undefined) => conversationRef(target, threadId);
  const markdown = (text: string) => ({ text, textFormat: 'markdown' as const });
  return {
    // A new post in the channel (no reply chain yet): the answer goes into the chain it starts.
    postRoot: (text) => conversations.send(at(undefined), markdown(text)),
    postInThread: (threadId, text) => conversations.send(at(threadId), markdown(text)),
    update: (messageId, text) => conversations.update(at(target.threadTs), messageId, markdown(text)),
    postApproval: (threadId, card) =>
      conversations.send(at(threadId), { text: approvalSummary(card), attachments: [approvalAdaptiveCard(card)] }),
    updateApproval: (messageId, card) =>
      conversations.update(at(target.threadTs), messageId, { text: approvalSummary(card), attachments: [approvalAdaptiveCard(card)] }),
    uploadFile: async (threadId, file) => {
      await conversations.send(at(threadId), inlineImage(file));
    },
    uploadTypes: TEAMS_UPLOAD_TYPES,
    format: markdownToTeams,
    // Teams mentions need an entity in the activity; a bot reply names the person instead.
    mention: (userId) => userId,
    maxMessageChars: TEAMS_MESSAGE_CHARS,
  };
}

/**
 * The conversation to post to. In a channel, `<channel>;messageid=<root>` is how Teams addresses a reply chain;
 * a chat is one conversation, so its id is used as it is.
 */
export function conversationRef(target: TeamsReplyTarget, threadId: string | undefined): TeamsConversationRef {
  const inChannel = target.conversationType === 'channel' && threadId !== undefined;
  return {
    channelId: target.channelId ?? 'msteams',
    serviceUrl: target.serviceUrl,
    conversationId: inChannel ? `${target.channel};messageid=${threadId}` : target.channel,
    conversationType: target.conversationType,
    tenantId: target.teamId === '' ? undefined : target.teamId,
    bot: target.bot,
  };
}

/**
 * A graph as an inline image in a message. A bot can attach other files only in 1:1 chats and after a consent
 * card, so those are refused for good and the worker posts the answer as text instead.
 */
function inlineImage(file: ReplyFile): {
  text: string;
  textFormat: 'markdown';
  attachments: { contentType: string; contentUrl: string; name: string }[];
} {
  if (!file.mimeType.startsWith('image/')) throw new FileRefusedError('a Teams bot message carries only inline images');
  if (file.data.length > INLINE_IMAGE_BYTES) throw new FileRefusedError(`image over ${INLINE_IMAGE_BYTES} bytes`);
  return {
    text: `**${markdownToTeams(file.title.replace(/\s+/g, ' '))}**`,
    textFormat: 'markdown',
    attachments: [
      { contentType: file.mimeType, contentUrl: `data:${file.mimeType};base64,${file.data.toString('base64')}`, name: file.filename },
    ],
  };
}
