import { ErrorCode, type WebClient } from '@slack/web-api';
import { FileRefusedError } from '../../../src/chat/errors.ts';
import type { ReplyFile } from '../../../src/chat/reply-channel.ts';

export interface UploadSlackFileOptions {
  client: WebClient;
  channel: string;
  threadTs: string;
  file: ReplyFile;
  /** The upload URL's host is Slack's file service, not the Web API: the bytes go there with plain fetch. */
  fetchImpl?: typeof fetch;
  /** Called with the file id before the file is shared (the only visible step), so a retry can look for it. */
  onFileId?: ((fileId: string) => Promise<void>) | undefined;
}

/** Raised when the bytes could not be sent to the upload URL Slack handed out (retryable). */
export class SlackUploadError extends Error {
  override readonly name = 'SlackUploadError';
  readonly code = 'slack_upload_failed';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Slack errors that the same upload will hit again: the answer goes out without its file. */
const REFUSALS = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'file_uploads_disabled',
  'file_uploads_except_images_disabled',
  'file_type_not_allowed',
  'file_upload_size_restricted',
  'snippet_too_large',
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'invalid_arguments',
]);

/**
 * Shares a file in a thread with Slack's external upload flow (files.upload is retired): ask for an upload
 * URL with the name and size, POST the bytes there, then complete the upload into the channel and thread.
 * Returns the file id. The Web API calls go through the WebClient, which waits out 429s.
 */
export async function uploadSlackFile({
  client,
  channel,
  threadTs,
  file,
  fetchImpl = fetch,
  onFileId,
}: UploadSlackFileOptions): Promise<string> {
  try {
    const ticket = await client.files.getUploadURLExternal({ filename: file.filename, length: file.data.byteLength });
    const { upload_url: uploadUrl, file_id: fileId } = ticket;
    if (uploadUrl === undefined || fileId === undefined) throw new SlackUploadError('Slack returned no upload_url or file_id');
    const response = await fetchImpl(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': file.mimeType },
      body: new Uint8Array(file.data),
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status !== 200)
      throw new SlackUploadError(`uploading ${file.filename} failed with HTTP ${response.status}`, response.status);
    await onFileId?.(fileId);
    await client.files.completeUploadExternal({ files: [{ id: fileId, title: file.title }], channel_id: channel, thread_ts: threadTs });
    return fileId;
  } catch (error) {
    const reason = platformError(error);
    if (reason !== undefined && REFUSALS.has(reason)) throw new FileRefusedError(reason, error);
    throw error;
  }
}

function platformError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === ErrorCode.PlatformError && typeof data?.error === 'string' ? data.error : undefined;
}
