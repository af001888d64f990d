import type { ReplyChannel } from '../reply-channel.ts';
import { newConsoleId, type ConsoleConversations } from './console-conversations.ts';

export interface ConsoleReplyChannelOptions {
  conversations: ConsoleConversations;
  /** The console conversation id (the reply target's `channel`). */
  conversationId: string;
}

/** Plenty for a page; the answer is still split like everywhere else so progress edits stay small. */
export const CONSOLE_MESSAGE_CHARS = 40_000;

/**
 * Writes the worker's replies into a console conversation (a Redis stream the gateway streams to the page).
 * The page renders Markdown itself, so text is stored as Markdown. A console conversation is one thread: the
 * thread id the worker passes is the conversation's own id.
 */
export function consoleReplyChannel({ conversations, conversationId }: ConsoleReplyChannelOptions): ReplyChannel {
  const post = async (text: string) => {
    const id = newConsoleId();
    await conversations.append(conversationId, { type: 'message', id, role: 'bot', text, at: new Date().toISOString() });
    return id;
  };
  return {
    postRoot: post,
    postInThread: (_threadId, text) => post(text),
    update: async (messageId, text) => {
      await conversations.append(conversationId, { type: 'update', id: messageId, text, at: new Date().toISOString() });
    },
    postApproval: async (_threadId, card) => {
      const id = newConsoleId();
      await conversations.append(conversationId, { type: 'approval', id, card, at: new Date().toISOString() });
      return id;
    },
    updateApproval: async (messageId, card) => {
      await conversations.append(conversationId, { type: 'approval', id: messageId, card, at: new Date().toISOString() });
    },
    format: (markdown) => markdown,
    // The page renders `<@user>` as `@user` (it builds text nodes, so nothing in a message is markup).
    mention: (userId) => `<@${userId}>`,
    maxMessageChars: CONSOLE_MESSAGE_CHARS,
  };
}
