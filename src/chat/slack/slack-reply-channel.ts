import type { WebClient } from '@slack/web-api';
import type { PostKey, ReplyChannel } from '../reply-channel.ts';
import { SLACK_MESSAGE_CHARS } from '../split-message.ts';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.ts';
import { approvalBlocks, approvalText } from './approval-blocks.ts';
import { answerBlocks, answerFallbackText } from './answer-blocks.ts';
import { uploadSlackFile } from './upload-slack-file.ts';
import { findSlackPost, postMetadata } from './find-slack-post.ts';

export interface SlackReplyChannelOptions {
  client: WebClient;
  channel: string;
}

/**
 * Posts into one Slack channel through the Web API (WebClient retries 429s after Retry-After): answers as
 * Block Kit with a text fallback, long output as a file in the thread. A post with a key carries it as message
 * metadata, so `findPosted` can find it again (decision 014).
 */
export function slackReplyChannel({ client, channel }: SlackReplyChannelOptions): ReplyChannel {
  const keyed = (key: PostKey | undefined) => (key === undefined ? {} : { metadata: postMetadata(key) });
  return {
    postRoot: async (text, key) => messageTs(await client.chat.postMessage({ channel, text, unfurl_links: false, ...keyed(key) })),
    postInThread: async (threadId, text, key) =>
      messageTs(await client.chat.postMessage({ channel, thread_ts: threadId, text, unfurl_links: false, unfurl_media: false, ...keyed(key) })),
    update: async (messageId, text) => {
      await client.chat.update({ channel, ts: messageId, text });
    },
    postApproval: async (threadId, card, key) =>
      messageTs(await client.chat.postMessage({ channel, thread_ts: threadId, text: approvalText(card), blocks: approvalBlocks(card), unfurl_links: false, ...keyed(key) })),
    updateApproval: async (messageId, card) => {
      await client.chat.update({ channel, ts: messageId, text: approvalText(card), blocks: approvalBlocks(card) });
    },
    updateAnswer: async (messageId, answer) => {
      await client.chat.update({ channel, ts: messageId, text: answerFallbackText(answer), blocks: answerBlocks(answer) });
    },
    uploadFile: async (threadId, file, options) => {
      await uploadSlackFile({ client, channel, threadTs: threadId, file, onFileId: options?.onFileId });
    },
    findPosted: (key, lookup) => findSlackPost({ client, channel, key, lookup }),
    format: markdownToMrkdwn,
    maxMessageChars: SLACK_MESSAGE_CHARS,
  };
}

function messageTs(response: { ts?: string }): string {
  if (response.ts === undefined) throw new Error('Slack accepted the message but returned no ts');
  return response.ts;
}
