import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnswerChatJobDeps } from '../../../src/worker/answer-chat-job.ts';
import { deliver } from '../../../src/worker/steps/deliver.ts';
import type { JobReply } from '../../../src/worker/steps/job-reply.ts';
import { record } from '../../../src/worker/steps/record.ts';
import type { ChatJob } from '../../../src/queue/chat-job.ts';
import { openUpToAnswer, chatJobStepsSuite, STEPS_CHANNEL } from '../../../dev/support/chat-job-steps.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('deliver and record: the reply posted once, then remembered, marked done and audited', () => {
  const bench = chatJobStepsSuite();

  const attempt = async (deps: AnswerChatJobDeps, over: Partial<ChatJob> = {}) => {
    const job = await bench.addJob(over);
    const open = () => openUpToAnswer({ job, deps, run: {} });
    return { job, open };
  };

  it('the answer replaces the progress message and its graphs follow; a retry after a crash before `done` posts nothing again', async () => {
    const deps = bench.deps();
    const { open } = await attempt(deps);
    const first = await open();
    const reply: JobReply = {
      answer: 'All **pods** are running.',
      graphs: [{ filename: 'cpu.png', title: 'CPU', mimeType: 'image/png', data: PNG }],
    };
    await deliver(first, reply);
    const progress = bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === first.progress.progressId);
    assert.ok(progress !== undefined);
    assert.match(JSON.stringify(progress.edits.at(-1)), /All \*pods\* are running\./);
    assert.equal(bench.slack.files().filter((f) => f.threadTs === first.threadId).length, 1);
    const state = await deps.replyState.read(first.jobId);
    assert.equal(state.answeredChunks, 1);
    assert.equal(state.graphsPosted, 1);
    assert.equal(state.done, false, 'delivery alone does not finish the job');
    // The worker died here: the retry delivers again from the reply state, which says everything went out.
    const callsBefore = bench.slack.calls.filter((c) => c.method !== 'conversations.replies').length;
    const retry = await open();
    assert.equal(retry.progress.progressId, first.progress.progressId);
    await deliver(retry, reply);
    await record(retry, reply);
    assert.equal(bench.slack.calls.filter((c) => c.method !== 'conversations.replies').length, callsBefore, 'the retry posted again');
    assert.equal((await deps.replyState.read(first.jobId)).done, true);
  });

  it('records the turn in thread memory once, pins findings, tells incident memory, marks done, then audits the answer', async () => {
    const answered: string[] = [];
    const deps = bench.deps({ incidents: { answered: ({ text }) => Promise.resolve(void answered.push(text)) } });
    const { open } = await attempt(deps, { purpose: 'alert_investigation', text: 'investigate CheckoutDown' });
    const ctx = await open();
    const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const reply: JobReply = {
      answer: 'The rollout broke checkout.',
      turn: [
        { role: 'user', content: 'investigate CheckoutDown' },
        { role: 'assistant', content: [{ type: 'text', text: 'The rollout broke checkout.' }] },
      ],
      findings: 'The rollout broke checkout.',
      answeredText: 'The rollout broke checkout.',
      audit: { usage },
    };
    await deliver(ctx, reply);
    await record(ctx, reply);
    await record(ctx, reply); // a retry after a crash past memory: the job id makes it a no-op
    const history = await deps.memory.history(ctx.conversationKey, { reader: undefined });
    const texts = history.map((m) => JSON.stringify(m.content));
    assert.equal(texts.filter((t) => t.includes('investigate CheckoutDown')).length, 1, 'the turn was remembered twice or not at all');
    assert.ok(
      texts.some((t) => t.includes('automatic investigation of this alert answered earlier')),
      `findings not pinned: ${texts.join(' | ')}`,
    );
    assert.deepEqual(answered, ['The rollout broke checkout.', 'The rollout broke checkout.']);
    assert.equal((await deps.replyState.read(ctx.jobId)).done, true);
    const answers = (await bench.auditEvents()).filter((e) => e.jobId === ctx.jobId && e.kind === 'answer');
    assert.equal(answers.length, 2);
    assert.deepEqual(answers[0]?.kind === 'answer' ? answers[0].usage : undefined, usage);
    assert.equal(answers[0]?.cluster, 'steps-cluster');
  });

  it('a reply audited already (an error the user reads) is delivered and marked done without a second audit event', async () => {
    const deps = bench.deps();
    const { open } = await attempt(deps);
    const ctx = await open();
    const reply: JobReply = { answer: '⚠️ The AI model rejected the request.' };
    await deliver(ctx, reply);
    await record(ctx, reply);
    assert.deepEqual(
      (await bench.auditEvents()).filter((e) => e.jobId === ctx.jobId),
      [],
    );
    assert.equal((await deps.memory.history(ctx.conversationKey, { reader: undefined })).length, 0);
    assert.equal((await deps.replyState.read(ctx.jobId)).done, true);
  });
});
