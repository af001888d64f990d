import type { KnownBlock, WebClient } from '@slack/web-api';
import { NO_PING } from '../../../src/chat/markdown/neutral-slack-token.ts';
import type { PostKey, ReplyChannel } from '../../../src/chat/reply-channel.ts';
import { SLACK_MESSAGE_CHARS } from '../../../src/chat/split-message.ts';
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
 * Block Kit with a text fallback, long output as a file in the thread. Whatever a caller built, no message
 * this channel posts carries a channel-wide or group ping (withoutBroadcasts). A post with a key carries it as
 * message metadata, so `findPosted` can find it again (decision 014).
 */
export function slackReplyChannel({ client, channel }: SlackReplyChannelOptions): ReplyChannel {
  const keyed = (key: PostKey | undefined) => (key === undefined ? {} : { metadata: postMetadata(key) });
  return {
    postRoot: async (text, key) =>
      messageTs(await client.chat.postMessage({ channel, text: withoutBroadcasts(text), unfurl_links: false, ...keyed(key) })),
    postInThread: async (threadId, text, key) =>
      messageTs(
        await client.chat.postMessage({
          channel,
          thread_ts: threadId,
          text: withoutBroadcasts(text),
          unfurl_links: false,
          unfurl_media: false,
          ...keyed(key),
        }),
      ),
    update: async (messageId, text) => {
      await client.chat.update({ channel, ts: messageId, text: withoutBroadcasts(text) });
    },
    postApproval: async (threadId, card, key) =>
      messageTs(
        await client.chat.postMessage({
          channel,
          thread_ts: threadId,
          text: withoutBroadcasts(approvalText(card)),
          blocks: blocksWithoutBroadcasts(approvalBlocks(card)),
          unfurl_links: false,
          ...keyed(key),
        }),
      ),
    updateApproval: async (messageId, card) => {
      await client.chat.update({
        channel,
        ts: messageId,
        text: withoutBroadcasts(approvalText(card)),
        blocks: blocksWithoutBroadcasts(approvalBlocks(card)),
      });
    },
    updateAnswer: async (messageId, answer) => {
      await client.chat.update({
        channel,
        ts: messageId,
        text: withoutBroadcasts(answerFallbackText(answer)),
        blocks: blocksWithoutBroadcasts(answerBlocks(answer)),
      });
    },
    uploadFile: async (threadId, file, options) => {
      await uploadSlackFile({ client, channel, threadTs: threadId, file, onFileId: options?.onFileId });
    },
    findPosted: (key, lookup) => findSlackPost({ client, channel, key, lookup }),
    format: markdownToMrkdwn,
    mention: (userId) => `<@${userId}>`,
    maxMessageChars: SLACK_MESSAGE_CHARS,
  };
}

/**
 * `<!channel>`, `<!here>`, `<!everyone>` and `<!subteam^…>` as inert words. The converters already neutralise
 * them in untrusted text; this is the last check before Slack, for text no converter saw. We never ping groups.
 */
export function withoutBroadcasts(text: string): string {
  if (!text.includes('<!')) return text;
  return text.replace(/<!(channel|here|everyone|subteam\^[^<>|\s]*)(?:\|([^<>]*))?>/g, (_, name: string, label: string | undefined) => {
    const shown = label?.replace(/^@/, '') || (name.startsWith('subteam^') ? 'group' : name);
    return `@${NO_PING}${shown}`;
  });
}

/** Every text of the blocks through withoutBroadcasts (Block Kit nests text objects in sections, context, fields). */
function blocksWithoutBroadcasts(blocks: KnownBlock[]): KnownBlock[] {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return withoutBroadcasts(value);
    if (Array.isArray(value)) return value.map(clean);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'value' ? item : clean(item)]));
    return value;
  };
  return clean(blocks) as KnownBlock[];
}

function messageTs(response: { ts?: string }): string {
  if (response.ts === undefined) throw new Error('Slack accepted the message but returned no ts');
  return response.ts;
}
