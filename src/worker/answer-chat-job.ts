import type Anthropic from '@anthropic-ai/sdk';
import { UnrecoverableError, type Job } from 'bullmq';
import { AgentError } from '../agent/errors.ts';
import type { Toolbox } from '../agent/mcp-toolbox.ts';
import { runAgent, type AgentProgress } from '../agent/run-agent.ts';
import { systemPrompt } from '../agent/system-prompt.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import { splitMessage } from '../chat/split-message.ts';
import type { Logger } from '../log/create-logger.ts';
import { chatJobSchema, type ChatJob } from '../queue/chat-job.ts';
import { composeAnswer } from './compose-answer.ts';
import { progressText, workingText } from './progress-text.ts';
import type { ReplyStateStore } from './reply-state.ts';

export interface AnswerChatJobDeps {
  /** Absent when ANTHROPIC_API_KEY is not set: questions then get a clear "AI is not configured" answer. */
  anthropic: Anthropic | undefined;
  model: string;
  maxSteps: number;
  connectToolbox: () => Promise<Toolbox>;
  replyChannelFor: (job: ChatJob) => ReplyChannel;
  replyState: ReplyStateStore;
  logger: Logger;
  /** Minimum time between progress edits, to stay under chat rate limits. */
  progressIntervalMs?: number;
}

/**
 * Answers one queued question. Every message it posts is recorded in the reply state first-thing after
 * posting, so a retry (crash, stall, re-delivery) reuses the root and progress messages and never posts
 * the answer twice.
 */
export async function answerChatJob(job: Job<ChatJob>, deps: AnswerChatJobDeps): Promise<void> {
  const parsed = chatJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed chat job: ${parsed.error.message}`);
  const data = parsed.data;
  const jobId = job.id ?? 'unknown';
  const log = deps.logger.child({ jobId, platform: data.platform, attempt: job.attemptsMade + 1 });
  const state = await deps.replyState.read(jobId);
  if (state.done) {
    log.info('already answered; nothing to do');
    return;
  }
  const started = performance.now();
  const chatTime = { ms: 0 };
  const channel = timedChannel(deps.replyChannelFor(data), chatTime);
  const threadId = data.replyTarget.threadTs ?? state.rootId ?? (await postRoot(channel, data, jobId, deps));
  const progressId = state.progressId ?? (await postProgress(channel, threadId, jobId, deps));

  const finish = async (markdown: string) => {
    await deliverAnswer({ channel, threadId, progressId, markdown, jobId, deps, alreadySent: state.answeredChunks });
    await deps.replyState.write(jobId, { done: '1' });
  };

  if (deps.anthropic === undefined) {
    await finish('AI is not configured on this ai4k8s installation (ANTHROPIC_API_KEY is not set), so I cannot answer free-form questions yet.');
    return;
  }
  const reportProgress = throttledProgress(channel, progressId, deps.progressIntervalMs ?? 1_000, log);
  let toolbox: Toolbox | undefined;
  try {
    const connectStarted = performance.now();
    toolbox = await deps.connectToolbox();
    const connectMs = performance.now() - connectStarted;
    const answer = await runAgent({
      anthropic: deps.anthropic,
      model: deps.model,
      system: systemPrompt(),
      question: data.text,
      toolbox,
      maxSteps: deps.maxSteps,
      onProgress: reportProgress,
    });
    await finish(composeAnswer(answer, deps.maxSteps));
    const timings = {
      queueWaitMs: Math.max(0, (job.processedOn ?? job.timestamp) - job.timestamp),
      mcpConnectMs: Math.round(connectMs),
      modelMs: Math.round(answer.timings.modelMs),
      toolsMs: Math.round(answer.timings.toolsMs),
      chatMs: Math.round(chatTime.ms),
      totalMs: Math.round(performance.now() - started),
    };
    log.info({ outcome: answer.outcome, steps: answer.steps, tools: answer.toolCalls.length, usage: answer.usage, timings }, 'answered');
  } catch (error) {
    if (error instanceof AgentError) {
      log.warn({ err: error, code: error.code }, 'could not answer');
      await finish(`⚠️ ${error.userMessage}`);
      return;
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.error({ err: error, lastAttempt }, 'answer failed');
    if (lastAttempt) await finish(`⚠️ Sorry, something went wrong while answering and retries ran out (reference: \`${jobId}\`).`);
    throw error;
  } finally {
    await toolbox?.close().catch(() => undefined);
  }
}

async function postRoot(channel: ReplyChannel, data: ChatJob, jobId: string, deps: AnswerChatJobDeps): Promise<string> {
  const rootId = await channel.postRoot(`${channel.format(data.text)} — asked by <@${data.user.id}>`);
  await deps.replyState.write(jobId, { rootId });
  return rootId;
}

async function postProgress(channel: ReplyChannel, threadId: string, jobId: string, deps: AnswerChatJobDeps): Promise<string> {
  const progressId = await channel.postInThread(threadId, workingText);
  await deps.replyState.write(jobId, { progressId });
  return progressId;
}

interface DeliverAnswerOptions {
  channel: ReplyChannel;
  threadId: string;
  progressId: string;
  markdown: string;
  jobId: string;
  deps: AnswerChatJobDeps;
  alreadySent: number;
}

/** The first chunk replaces the progress message; the rest follow in the thread. Resumes after a crash. */
async function deliverAnswer({ channel, threadId, progressId, markdown, jobId, deps, alreadySent }: DeliverAnswerOptions): Promise<void> {
  const chunks = splitMessage(channel.format(markdown), channel.maxMessageChars);
  for (let i = alreadySent; i < chunks.length; i += 1) {
    const chunk = chunks[i] ?? '';
    if (i === 0) await channel.update(progressId, chunk);
    else await channel.postInThread(threadId, chunk);
    await deps.replyState.write(jobId, { answeredChunks: String(i + 1) });
  }
}

/** Wraps a reply channel to add up the time spent talking to the chat platform. */
function timedChannel(channel: ReplyChannel, total: { ms: number }): ReplyChannel {
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        total.ms += performance.now() - started;
      }
    };
  return {
    ...channel,
    postRoot: timed(channel.postRoot),
    postInThread: timed(channel.postInThread),
    update: timed(channel.update),
  };
}

function throttledProgress(channel: ReplyChannel, progressId: string, intervalMs: number, log: Logger) {
  let last = 0;
  return async (progress: AgentProgress) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    // Progress is best effort: a failed edit must not fail the answer.
    await channel.update(progressId, channel.format(progressText(progress))).catch((error: unknown) => {
      log.warn({ err: error }, 'progress update failed');
    });
  };
}
