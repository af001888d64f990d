import { UnrecoverableError, type Job } from 'bullmq';
import type { ReplyChannel } from '../../chat/reply-channel.ts';
import type { Logger } from '../../log/create-logger.ts';
import { chatJobSchema, type ChatJob } from '../../queue/chat-job.ts';
import type { AnswerChatJobDeps, JobRun } from '../answer-chat-job.ts';
import { postLedger, type PostLedger } from '../post-ledger.ts';
import type { ReplyState } from '../reply-state.ts';
import { timedChannel } from '../timed-channel.ts';

/** What every step of one attempt at a chat job shares. */
export interface JobContext {
  job: Job<ChatJob>;
  /** The job's data, validated. */
  data: ChatJob;
  jobId: string;
  deps: AnswerChatJobDeps;
  run: JobRun;
  log: Logger;
  /** The job's reply state as this attempt found it; the ledger keeps `posted` and `intents` current. */
  state: ReplyState;
  /** Where the answer goes; the time spent in it is summed in `chatTime`. */
  channel: ReplyChannel;
  chatTime: { ms: number };
  /** Every post of the job goes through it, so a retry never posts twice (decision 014). */
  ledger: PostLedger;
  /** performance.now() when the attempt started, for the answer's duration. */
  started: number;
}

export interface OpenJobOptions {
  job: Job<ChatJob>;
  deps: AnswerChatJobDeps;
  run: JobRun;
}

/**
 * The context of one attempt, or undefined when there is nothing to do: the gateway cancelled the job after an
 * unconfirmed enqueue, or an earlier attempt finished it. A malformed job is never retried.
 */
export async function openJob({ job, deps, run }: OpenJobOptions): Promise<JobContext | undefined> {
  const parsed = chatJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed chat job: ${parsed.error.message}`);
  const data = parsed.data;
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, platform: data.platform, attempt: job.attemptsMade + 1 });
  if ((await deps.startGate.claim(jobId)) === 'cancelled') {
    log.info({ outcome: 'cancelled' }, 'not answered: the gateway cancelled this question after an unconfirmed enqueue');
    return undefined;
  }
  const state = await deps.replyState.read(jobId);
  if (state.done) {
    log.info('already answered; nothing to do');
    return undefined;
  }
  const chatTime = { ms: 0 };
  const channel = timedChannel(deps.replyChannelFor(data), chatTime);
  const ledger = postLedger({ store: deps.replyState, jobId, state, channel, logger: log });
  return { job, data, jobId, deps, run, log, state, channel, chatTime, ledger, started: performance.now() };
}
