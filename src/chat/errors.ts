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
