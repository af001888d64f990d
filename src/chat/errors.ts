/**
 * The chat platform refused a file for good (no permission to upload, uploads disabled, file too large):
 * retrying will not help, so the worker posts the answer without the file instead.
 */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';
  readonly code = 'file_refused';
  constructor(
    /** The platform's reason, e.g. Slack's `missing_scope`. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`the chat platform refused the file: ${reason}`, { cause });
  }
}

/**
 * The platform will not let the bot look back for an earlier attempt's post (Slack: `not_in_channel`,
 * `missing_scope`…): the caller cannot reconcile and posts again, which may duplicate the message.
 */
export class PostLookupError extends Error {
  override readonly name = 'PostLookupError';
  readonly code = 'post_lookup_refused';
  constructor(
    /** The platform's reason, e.g. Slack's `not_in_channel`. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`the chat platform refused the lookup of an earlier post: ${reason}`, { cause });
  }
}
