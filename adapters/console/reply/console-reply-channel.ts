import type { PostKey, ReplyChannel } from '../../../src/chat/reply-channel.ts';
import { keyedConsoleId, newConsoleId, type ConsoleConversations, type ConsoleEvent } from './console-conversations.ts';

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
 * thread id the worker passes is the conversation's own id. A keyed post gets its id from the key and is appended
 * once per id, so a retried job posting it again changes nothing: the console needs no lookup (decision 014).
 */
export function consoleReplyChannel({ conversations, conversationId }: ConsoleReplyChannelOptions): ReplyChannel {
  const append = async (key: PostKey | undefined, event: (id: string) => ConsoleEvent) => {
    if (key === undefined) {
      const id = newConsoleId();
      await conversations.append(conversationId, event(id));
      return id;
    }
    const id = keyedConsoleId(key);
    await conversations.appendOnce(conversationId, event(id));
    return id;
  };
  const post = (text: string, key: PostKey | undefined) =>
    append(key, (id) => ({ type: 'message', id, role: 'bot', text, at: new Date().toISOString() }));
  return {
    postRoot: post,
    postInThread: (_threadId, text, key) => post(text, key),
    update: async (messageId, text) => {
      await conversations.append(conversationId, { type: 'update', id: messageId, text, at: new Date().toISOString() });
    },
    postApproval: (_threadId, card, key) => append(key, (id) => ({ type: 'approval', id, card, at: new Date().toISOString() })),
    updateApproval: async (messageId, card) => {
      await conversations.append(conversationId, { type: 'approval', id: messageId, card, at: new Date().toISOString() });
    },
    format: (markdown) => markdown,
    // The page renders `<@user>` as `@user` (it builds text nodes, so nothing in a message is markup).
    mention: (userId) => `<@${userId}>`,
    maxMessageChars: CONSOLE_MESSAGE_CHARS,
  };
}
