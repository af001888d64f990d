import { AgentError, ModelUnavailableError, ToolServerUnavailableError } from '../../agent/errors.ts';
import { deferJob, nextDeferral } from '../defer-job.ts';
import { workingText } from '../progress-text.ts';
import { deferredText, type DeferCause } from '../retry-text.ts';
import type { AnsweringContext } from './answering-context.ts';
import type { JobReply } from './job-reply.ts';
import { auditAnswer } from './record.ts';

/**
 * What a failed answer becomes. An error the user should read (AgentError) is audited and becomes the reply. A
 * model or tool server that is away re-queues the job with a delay until the retry window is spent (throws
 * DelayedError). An abort (shutdown, lost lock) posts and audits nothing and rethrows: at shutdown the worker's
 * handBackOnShutdown returns the job to the queue without using an attempt. Anything else is audited and rethrown, for the queue's attempts and backoff.
 */
export async function failedReply(ctx: AnsweringContext, error: unknown): Promise<JobReply> {
  const { run, job, log } = ctx;
  if (run.signal?.aborted === true) {
    // At shutdown the worker's handBackOnShutdown returns the job to the queue; after a lost lock it is another's.
    log.warn({ reason: String(run.signal.reason) }, 'answer stopped by its abort signal');
    throw error;
  }
  if (error instanceof ModelUnavailableError)
    return await deferOrFail(ctx, error, error.status === 429 ? 'model_rate_limited' : 'model_unavailable');
  if (error instanceof ToolServerUnavailableError) return await deferOrFail(ctx, error, 'tool_server');
  if (error instanceof AgentError) {
    log.warn({ err: error, code: error.code }, 'could not answer');
    return await userError(ctx, error);
  }
  // A job that can never finish is reported by reportUnfinishedJob.
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  log.error({ err: error, lastAttempt }, 'answer failed');
  await auditAnswer(ctx, { error: lastAttempt ? 'internal_error' : 'internal_error_retrying' });
  throw error;
}

/** Re-queues the job with a delay (the progress message says until when), or fails with the error once the window is spent. */
async function deferOrFail(ctx: AnsweringContext, error: AgentError, cause: DeferCause): Promise<JobReply> {
  const { state, deps, run, log, progress, channel, job, jobId } = ctx;
  const delayMs = nextDeferral({ state, cause, windowMs: deps.retryWindowMs });
  if (delayMs !== undefined && run.token !== undefined) {
    log.warn({ err: error, code: error.code, delayMs, deferrals: state.deferrals + 1 }, 'deferred: retrying later');
    await progress.stop();
    const text = channel.format(`${workingText}\n${deferredText(cause, new Date(Date.now() + delayMs))}`);
    // A stale attempt (the job is another's now) must not turn that attempt's answer back into "Working on it…".
    if (await progress.holdsJob())
      await channel.update(progress.progressId, text).catch((e: unknown) => log.warn({ err: e }, 'progress update failed'));
    await auditAnswer(ctx, { error: `${error.code}_retrying` });
    await deferJob({ job, token: run.token, store: deps.replyState, jobId, state, delayMs });
  }
  log.warn({ err: error, code: error.code, deferrals: state.deferrals }, 'could not answer; retries spent');
  return await userError(ctx, error);
}

/** Audited at once (before delivery), then delivered as the answer. */
async function userError(ctx: AnsweringContext, error: AgentError): Promise<JobReply> {
  await auditAnswer(ctx, { error: error.code });
  return { answer: `⚠️ ${error.userMessage}` };
}
