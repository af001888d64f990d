import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { openJob } from '../../../src/worker/steps/job-context.ts';
import { chatJobStepsSuite } from '../../../dev/support/chat-job-steps.ts';

describe('openJob: the context of one attempt, or nothing to do', () => {
  const bench = chatJobStepsSuite();

  it('opens a new job with an empty reply state and claims its start', async () => {
    const job = await bench.addJob();
    const ctx = await openJob({ job, deps: bench.deps(), run: {} });
    assert.ok(ctx !== undefined);
    assert.equal(ctx.jobId, job.id);
    assert.equal(ctx.data.text, 'are the pods in shop healthy?');
    assert.deepEqual(ctx.state.posted, {});
    assert.equal(ctx.state.done, false);
    assert.equal(await bench.deps().startGate.cancel(ctx.jobId), false, 'the start was not claimed');
  });

  it('reads what an earlier attempt recorded, so its ledger returns the recorded ids', async () => {
    const job = await bench.addJob();
    const deps = bench.deps();
    await deps.replyState.recordPosted(job.id ?? '', 'root', '1700000000.000100');
    await deps.replyState.write(job.id ?? '', { answeredChunks: '2' });
    const ctx = await openJob({ job, deps, run: {} });
    assert.equal(ctx?.state.answeredChunks, 2);
    assert.equal(ctx?.ledger.posted('root'), '1700000000.000100');
  });

  it('has nothing to do for a job the gateway cancelled, or one an earlier attempt finished', async () => {
    const deps = bench.deps();
    const cancelled = await bench.addJob();
    assert.equal(await deps.startGate.cancel(cancelled.id ?? ''), true);
    assert.equal(await openJob({ job: cancelled, deps, run: {} }), undefined);
    const done = await bench.addJob();
    await deps.replyState.write(done.id ?? '', { done: '1' });
    assert.equal(await openJob({ job: done, deps, run: {} }), undefined);
    assert.deepEqual(
      bench.slack.calls.filter((c) => c.method.startsWith('chat.')),
      [],
      'nothing was posted',
    );
  });

  it('refuses a malformed job for good (UnrecoverableError: BullMQ does not retry it)', async () => {
    const job = await bench.addJob();
    job.data = { ...job.data, replyTarget: { platform: 'slack', teamId: 'T', channel: '' } };
    await assert.rejects(openJob({ job, deps: bench.deps(), run: {} }), UnrecoverableError);
  });
});
