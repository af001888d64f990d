import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openJob } from '../../../src/worker/steps/job-context.ts';
import { postNotice } from '../../../src/worker/steps/notice.ts';
import { openThread } from '../../../src/worker/steps/thread.ts';
import { chatJobStepsSuite, STEPS_CHANNEL } from '../../../dev/support/chat-job-steps.ts';

describe('postNotice: usage or a refusal, once', () => {
  const bench = chatJobStepsSuite();

  it('posts the notice in the thread and marks the job done, so a re-delivery has nothing to do', async () => {
    const job = await bench.addJob({ text: 'help' });
    const deps = bench.deps();
    const ctx = await openJob({ job, deps, run: {} });
    assert.ok(ctx !== undefined);
    const thread = await openThread(ctx);
    await postNotice({ ...ctx, ...thread }, 'Ask me about <!channel> pods');
    const replies = bench.slack.thread(STEPS_CHANNEL, thread.threadId).slice(1);
    assert.equal(replies.length, 1);
    assert.doesNotMatch(replies[0]?.text ?? '', /<!channel>/, 'the notice went out unformatted');
    const state = await deps.replyState.read(ctx.jobId);
    assert.equal(state.done, true);
    assert.equal(state.posted.notice, replies[0]?.ts);
    assert.equal(await openJob({ job, deps, run: {} }), undefined);
  });

  it('a retry after a crash between the post and `done` finds the notice instead of posting it again', async () => {
    const job = await bench.addJob({ text: 'help' });
    const deps = bench.deps();
    const first = await openJob({ job, deps, run: {} });
    assert.ok(first !== undefined);
    const thread = await openThread(first);
    await first.ledger.once('notice', { threadId: thread.threadId }, (key) => first.channel.postInThread(thread.threadId, 'usage', key));
    const retry = await openJob({ job, deps, run: {} });
    assert.ok(retry !== undefined);
    await postNotice({ ...retry, ...thread }, 'usage');
    assert.equal(bench.slack.thread(STEPS_CHANNEL, thread.threadId).length, 2, 'root and one notice');
    assert.equal((await deps.replyState.read(retry.jobId)).done, true);
  });
});
