import type { AnswerView } from './answer-view.ts';
import type { ApprovalCard } from './approval-card.ts';

/** A file the bot posts into a thread, e.g. a graph image or output too long for a message. */
export interface ReplyFile {
  filename: string;
  title: string;
  mimeType: string;
  data: Buffer;
}

/**
 * Names one message a job posts (`part`: root, progress, answer:1, approval:<token>…), so that a retry of the job
 * can find the message an earlier attempt posted instead of posting it again. On Slack it travels as the
 * message's metadata; the console derives the message id from it.
 */
export interface PostKey {
  job: string;
  part: string;
}

/** Where and since when to look for an earlier attempt's post. */
export interface PostLookup {
  /** The thread it went into; absent for a root message. */
  threadId?: string;
  /** Epoch ms the intent to post was recorded: the post cannot be older. */
  since: number;
  /** For an upload: the platform's id of the file, known before it was shared. */
  fileId?: string;
}

export interface UploadOptions {
  /** Called with the platform's file id once it exists and before the file is shared, to record it as the intent. */
  onFileId?: (fileId: string) => Promise<void>;
}

/** How the worker writes into a conversation, whatever the platform. Ids are the platform's message ids. */
export interface ReplyChannel {
  /** Posts the visible root message of a new conversation; returns its id (the thread to answer in). */
  postRoot: (text: string, key?: PostKey) => Promise<string>;
  /** Posts a message in the thread; returns its id. */
  postInThread: (threadId: string, text: string, key?: PostKey) => Promise<string>;
  /** Replaces the text of a message the bot posted. */
  update: (messageId: string, text: string) => Promise<void>;
  /** Posts an approval card (the exact action, Approve / Deny carrying its token) in the thread; returns its id. */
  postApproval: (threadId: string, card: ApprovalCard, key?: PostKey) => Promise<string>;
  /** Replaces an approval card with its outcome (no buttons). */
  updateApproval: (messageId: string, card: ApprovalCard) => Promise<void>;
  /**
   * Replaces a message (the progress message) with a rich answer: title, findings, context line, with a
   * text fallback. Absent where the platform only posts text: the worker then posts `answerText(view)`.
   */
  updateAnswer?: (messageId: string, answer: AnswerView) => Promise<void>;
  /**
   * Uploads a file into the thread; absent where the platform adapter cannot (yet). Throws
   * `FileRefusedError` (src/chat/errors.ts) when the platform refuses it for good, so callers can go on without it.
   */
  uploadFile?: (threadId: string, file: ReplyFile, options?: UploadOptions) => Promise<void>;
  /**
   * Finds the message an earlier attempt posted with `key` (or the file it shared, by `lookup.fileId`); returns its
   * id, or undefined when there is none. Throws `PostLookupError` when the platform will not let the bot look
   * (so the caller posts again), anything else when the lookup failed for now. Absent where the platform offers no
   * lookup (Teams) or needs none because posting with a key is idempotent (the console).
   */
  findPosted?: (key: PostKey, lookup: PostLookup) => Promise<string | undefined>;
  /**
   * The MIME types `uploadFile` takes (`image/*` matches any image); absent: any. Callers ask
   * `acceptsUpload` first rather than try a file the platform is known to refuse.
   */
  uploadTypes?: readonly string[];
  /**
   * The platform's formatting of Markdown, and how long one message may be. `format` treats its input as
   * untrusted (model, alert and cluster text): nothing in it can mention anyone or hide a link's target.
   */
  format: (markdown: string) => string;
  /**
   * How the platform mentions a user in formatted text (Slack `<@U…>`). A template adds its own mentions of
   * verified ids after `format` (formatWithMention); absent: the id as plain text.
   */
  mention?: (userId: string) => string;
  maxMessageChars: number;
}

/** Whether the channel can upload a file of this MIME type (it has `uploadFile`, and `uploadTypes` allow it). */
export function acceptsUpload(channel: Pick<ReplyChannel, 'uploadFile' | 'uploadTypes'>, mimeType: string): boolean {
  if (channel.uploadFile === undefined) return false;
  if (channel.uploadTypes === undefined) return true;
  const type = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return channel.uploadTypes.some((accepted) => (accepted.endsWith('/*') ? type.startsWith(accepted.slice(0, -1)) : type === accepted));
}
