import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { threadKey } from '../../../src/memory/thread-key.ts';
import { openJob } from '../../../src/worker/steps/job-context.ts';
import { openThread } from '../../../src/worker/steps/thread.ts';
import { chatJobStepsSuite, STEPS_CHANNEL, STEPS_TEAM } from '../../../dev/support/chat-job-steps.ts';

describe('openThread: the thread the answer goes into', () => {
  const bench = chatJobStepsSuite();

  it('posts the root of a slash command once across attempts and marks the thread as one the bot is in', async () => {
    const job = await bench.addJob({ text: 'why is checkout slow?' });
    const deps = bench.deps();
    const first = await openJob({ job, deps, run: {} });
    assert.ok(first !== undefined);
    const thread = await openThread(first);
    const roots = bench.slack.messages(STEPS_CHANNEL).filter((m) => m.threadTs === undefined);
    assert.equal(roots.length, 1);
    assert.equal(roots[0]?.ts, thread.threadId);
    assert.match(roots[0]?.text ?? '', /why is checkout slow\?/);
    assert.equal(thread.conversationKey, threadKey({ platform: 'slack', teamId: STEPS_TEAM, channel: STEPS_CHANNEL }, thread.threadId));
    assert.equal(await deps.memory.isKnownThread(thread.conversationKey), true);
    // A retry of the job (crash after the root) finds the root instead of posting another.
    const retry = await openJob({ job, deps, run: {} });
    assert.ok(retry !== undefined);
    assert.deepEqual(await openThread(retry), thread);
    assert.equal(bench.slack.messages(STEPS_CHANNEL).filter((m) => m.threadTs === undefined).length, 1, 'a second root was posted');
  });

  it('answers in the thread a question was asked in, posting nothing', async () => {
    const before = bench.slack.calls.length;
    const job = await bench.addJob({
      replyTarget: { platform: 'slack', teamId: STEPS_TEAM, channel: STEPS_CHANNEL, threadTs: '1700000000.000200' },
    });
    const ctx = await openJob({ job, deps: bench.deps(), run: {} });
    assert.ok(ctx !== undefined);
    const thread = await openThread(ctx);
    assert.equal(thread.threadId, '1700000000.000200');
    assert.equal(bench.slack.calls.length, before);
  });
});
