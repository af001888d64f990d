import type { ApprovalCard } from './approval-card.ts';

/** A file the bot posts into a thread, e.g. a graph image or output too long for a message. */
export interface ReplyFile {
  filename: string;
  title: string;
  mimeType: string;
  data: Buffer;
}

/** How the worker writes into a conversation, whatever the platform. Ids are the platform's message ids. */
export interface ReplyChannel {
  /** Posts the visible root message of a new conversation; returns its id (the thread to answer in). */
  postRoot: (text: string) => Promise<string>;
  /** Posts a message in the thread; returns its id. */
  postInThread: (threadId: string, text: string) => Promise<string>;
  /** Replaces the text of a message the bot posted. */
  update: (messageId: string, text: string) => Promise<void>;
  /** Posts an approval card (the exact action, Approve / Deny carrying its token) in the thread; returns its id. */
  postApproval: (threadId: string, card: ApprovalCard) => Promise<string>;
  /** Replaces an approval card with its outcome (no buttons). */
  updateApproval: (messageId: string, card: ApprovalCard) => Promise<void>;
  /** Uploads a file into the thread; absent where the platform adapter cannot (yet). */
  uploadFile?: (threadId: string, file: ReplyFile) => Promise<void>;
  /** The platform's formatting of Markdown, and how long one message may be. */
  format: (markdown: string) => string;
  maxMessageChars: number;
}
