import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedError } from 'bullmq';
import { ModelRejectedError, ModelUnavailableError, ToolServerUnavailableError } from '../../../src/agent/errors.ts';
import type { AnswerChatJobDeps, JobRun } from '../../../src/worker/answer-chat-job.ts';
import { SHUTDOWN_REASON } from '../../../src/worker/job-abort.ts';
import { failedReply } from '../../../src/worker/steps/failed-reply.ts';
import { openUpToAnswer, chatJobStepsSuite, STEPS_CHANNEL, replyText } from '../../../dev/support/chat-job-steps.ts';

describe('failedReply: what a failed answer becomes', () => {
  const bench = chatJobStepsSuite();

  /** A job taken from the queue as a worker takes it (locked by `token`), opened up to answering. */
  const taken = async (deps: AnswerChatJobDeps, run: Omit<JobRun, 'token'> = {}) => {
    const token = `lock-${Math.random().toString(36).slice(2)}`;
    await bench.addJob();
    const job = await bench.takeJob(token);
    return openUpToAnswer({ job, deps, run: { ...run, token } });
  };
  const events = async (jobId: string) =>
    (await bench.auditEvents()).filter((e) => e.jobId === jobId).map((e) => (e.kind === 'answer_failed' ? e.error : e.kind));

  it('an error the user should read is audited and becomes the reply', async () => {
    const ctx = await taken(bench.deps());
    const reply = await failedReply(ctx, new ModelRejectedError(401, new Error('bad key')));
    assert.match(replyText(reply), /^⚠️ The AI model refused our credentials/);
    assert.equal(reply.audit, undefined, 'audited at once, not again after delivery');
    assert.deepEqual(await events(ctx.jobId), ['model_rejected']);
  });

  it('a model that is away re-queues the job with a delay, counted in the reply state; the progress message says until when', async () => {
    const deps = bench.deps();
    const ctx = await taken(deps);
    await assert.rejects(failedReply(ctx, new ModelUnavailableError(529, new Error('overloaded'))), DelayedError);
    assert.equal(await ctx.job.getState(), 'delayed');
    const state = await deps.replyState.read(ctx.jobId);
    assert.equal(state.deferrals, 1);
    assert.ok(state.firstDeferredAt !== undefined);
    assert.deepEqual(await events(ctx.jobId), ['model_unavailable_retrying']);
    const progress = bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === ctx.progress.progressId);
    assert.match(
      progress?.edits.at(-1)?.text ?? '',
      /The AI model is unavailable right now; your question stays queued, retrying at \d\d:\d\d:\d\d UTC/,
    );
  });

  it('a stale attempt (its job is another worker’s now) leaves the progress message alone when the tool server is away', async () => {
    const deps = bench.deps({ lockMs: 5_000 });
    const ctx = await taken(deps);
    await ctx.job.moveToDelayed(Date.now() + 60_000, ctx.run.token ?? '');
    // The deferral cannot move a job this attempt does not hold; what matters is that it did not edit first.
    await assert.rejects(failedReply(ctx, new ToolServerUnavailableError('http://mcp', 'connection refused')));
    const progress = bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === ctx.progress.progressId);
    assert.deepEqual(progress?.edits, []);
  });

  it('once the retry window is spent, the tool server being away is the reply', async () => {
    const deps = bench.deps({ retryWindowMs: 0 });
    const ctx = await taken(deps);
    const reply = await failedReply(ctx, new ToolServerUnavailableError('http://mcp', 'connection refused'));
    assert.match(replyText(reply), /can't reach the ai4k8s tool server/);
    assert.deepEqual(await events(ctx.jobId), ['tool_server_unavailable']);
    assert.notEqual(await ctx.job.getState(), 'delayed');
  });

  it('a bug is audited (internal_error_retrying while attempts remain) and rethrown for the queue', async () => {
    const ctx = await taken(bench.deps());
    const bug = new TypeError('boom');
    await assert.rejects(failedReply(ctx, bug), (error) => error === bug);
    assert.deepEqual(await events(ctx.jobId), ['internal_error_retrying']);
  });

  it('an abort (shutdown or lost lock) posts and audits nothing and rethrows, leaving the job to the worker', async () => {
    for (const reason of [SHUTDOWN_REASON, 'lock lost']) {
      const stop = new AbortController();
      const ctx = await taken(bench.deps(), { signal: stop.signal });
      stop.abort(reason);
      const posts = bench.slack.calls.length;
      const error = new Error('aborted');
      await assert.rejects(failedReply(ctx, error), (e) => e === error);
      assert.equal(await ctx.job.getState(), 'active');
      assert.equal(bench.slack.calls.length, posts);
      assert.deepEqual(await events(ctx.jobId), []);
    }
  });
});
