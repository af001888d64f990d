import type { Job } from 'bullmq';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import { chatJobSchema, type ChatJob } from '../queue/chat-job.ts';
import { postLedger } from './post-ledger.ts';
import { questionRootText } from './question-root-text.ts';
import type { ReplyStateStore } from './reply-state.ts';
import { unfinishedText } from './retry-text.ts';

export interface ReportUnfinishedJobOptions {
  job: Job<ChatJob>;
  replyState: ReplyStateStore;
  replyChannelFor: (job: ChatJob) => ReplyChannel;
  logger: Logger;
}

/**
 * Tells the asker that a job will never be finished (attempts exhausted, stalled more than maxStalledCount,
 * unrecoverable): "⚠️ I could not finish this answer (reference …)" replaces the progress message, or goes into
 * the thread when there is none yet, through the post ledger, once. Called from the worker's `failed` event,
 * which BullMQ emits on every failed attempt: only a job whose state is `failed` is reported.
 */
export async function reportUnfinishedJob({ job, replyState, replyChannelFor, logger }: ReportUnfinishedJobOptions): Promise<void> {
  const jobId = job.id ?? 'unknown';
  if ((await job.getState()) !== 'failed') return;
  const parsed = chatJobSchema.safeParse(job.data);
  if (!parsed.success) return; // nowhere to say it
  const data = parsed.data;
  const state = await replyState.read(jobId);
  if (state.done) return;
  const log = logger.child({ jobId, platform: data.platform });
  const channel = replyChannelFor(data);
  const ledger = postLedger({ store: replyState, jobId, state, channel, logger: log });
  const threadId =
    data.replyTarget.threadTs ?? (await ledger.once('root', {}, (key) => channel.postRoot(questionRootText(channel, data), key)));
  const text = channel.format(unfinishedText(jobId));
  // The progress message is replaced unless part of an answer already did (then the notice follows it).
  const progressId = state.answeredChunks === 0 ? state.posted.progress : undefined;
  if (progressId !== undefined) await channel.update(progressId, text);
  else await ledger.once('failure', { threadId }, (key) => channel.postInThread(threadId, text, key));
  await replyState.write(jobId, { done: '1' });
  log.warn({ outcome: 'unfinished', reason: job.failedReason }, 'job can never be finished; the thread was told');
}
