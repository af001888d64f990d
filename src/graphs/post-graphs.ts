import { acceptsUpload, type ReplyChannel, type ReplyFile } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';

export interface PostGraphsOptions {
  channel: ReplyChannel;
  threadId: string;
  files: readonly ReplyFile[];
  /** Graphs an earlier attempt of the job already uploaded (reply state `graphsPosted`). */
  alreadyPosted: number;
  /** Records that `count` graphs are uploaded; called after each one. */
  recordPosted: (count: number) => Promise<void>;
  logger: Logger;
}

/**
 * Uploads an answer's graphs into its thread after the answer, resuming after a crash so a retried job never
 * uploads one twice. Best effort: the answer is already posted, so a failed upload is logged and the rest
 * skipped rather than failing (and re-running) the whole job.
 */
export async function postGraphs({ channel, threadId, files, alreadyPosted, recordPosted, logger }: PostGraphsOptions): Promise<void> {
  if (channel.uploadFile === undefined) return;
  for (let i = alreadyPosted; i < files.length; i += 1) {
    const file = files[i];
    // A type the platform is known to refuse is not tried (e.g. a channel that takes only text files).
    if (file === undefined || !acceptsUpload(channel, file.mimeType)) continue;
    try {
      await channel.uploadFile(threadId, file);
    } catch (error) {
      logger.warn({ err: error, filename: file.filename }, 'graph upload failed; the answer stands without it');
      return;
    }
    await recordPosted(i + 1);
  }
}

/** Whether graphs (PNG images) are worth rendering for this channel: it can upload them. */
export function takesGraphs(channel: Pick<ReplyChannel, 'uploadFile' | 'uploadTypes'>): boolean {
  return acceptsUpload(channel, 'image/png');
}
