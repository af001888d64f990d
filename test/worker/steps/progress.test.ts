import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { chatJobStepsSuite, openUpToAnswer, STEPS_CHANNEL } from '../../../dev/support/chat-job-steps.ts';
import type { AnsweringContext } from '../../../src/worker/steps/answering-context.ts';

const LOCK_MS = 5_000;

describe('progress: only the attempt that holds the job edits its progress message', () => {
  const bench = chatJobStepsSuite();

  /** A job taken under `token`, opened up to the answer step with the progress message posted. */
  const taken = async () => {
    const token = randomUUID();
    await bench.addJob();
    const job = await bench.takeJob(token);
    const ctx = await openUpToAnswer({ job, deps: bench.deps({ lockMs: LOCK_MS }), run: { token } });
    return { job, token, ctx };
  };
  const edits = (ctx: AnsweringContext) => bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === ctx.progress.progressId)?.edits ?? [];
  const showStep = async (ctx: AnsweringContext, step: number) => {
    ctx.progress.show({ step, running: [{ name: 'pods_list', input: { namespace: 'shop' } }], done: [] });
    await sleep(300);
  };

  it('an attempt holding its lock edits the message with what the agent is doing', async () => {
    const { ctx } = await taken();
    await showStep(ctx, 1);
    await ctx.progress.stop();
    assert.equal(edits(ctx).length, 1);
    assert.match(JSON.stringify(edits(ctx)[0]), /pods_list/);
  });

  it('an attempt whose job is no longer its own (Redis lost its take, another worker has it) never edits again', async () => {
    const { job, token, ctx } = await taken();
    // The job leaves this attempt: its lock is gone, as after a Redis restart without the take or a stall.
    await job.moveToDelayed(Date.now() + 60_000, token);
    await showStep(ctx, 1);
    await showStep(ctx, 2);
    await ctx.progress.stop();
    // Without the check, these late edits would turn another attempt's delivered answer back into "Working on it…".
    assert.deepEqual(edits(ctx), []);
  });

  it('an attempt whose job Redis lost altogether keeps editing: nobody else will answer it', async () => {
    const { job, token, ctx } = await taken();
    await job.moveToCompleted('gone', token, false);
    await job.remove();
    await showStep(ctx, 1);
    await ctx.progress.stop();
    assert.equal(edits(ctx).length, 1);
  });
});
