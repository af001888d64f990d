import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { answerChatJob } from '../../../src/worker/answer-chat-job.ts';
import { text, toolUse } from '../../../dev/fakes/fake-anthropic-api.ts';
import { fakeModelSuite, chatJobStepsSuite, scriptedToolbox, STEPS_CHANNEL } from '../../../dev/support/chat-job-steps.ts';

describe('answerChatJob runs the steps in order', () => {
  const bench = chatJobStepsSuite();
  const fake = fakeModelSuite();

  it('root, progress, answer in its place; the turn remembered, done, audited; the toolbox closed after delivery; a re-run does nothing', async () => {
    let closedAfterDelivery: boolean | undefined;
    const inner = scriptedToolbox(() => ({ text: 'checkout-1 Running', isError: false }));
    const toolbox = {
      ...inner,
      close: async () => {
        closedAfterDelivery = bench.slack.messages(STEPS_CHANNEL).some((m) => JSON.stringify(m.edits).includes('All pods are running.'));
        await inner.close();
      },
    };
    const deps = bench.deps({ anthropic: fake.anthropic, connectToolbox: () => Promise.resolve(toolbox) });
    fake.model.script({ content: [toolUse('pods_list')] }, { content: [text('All pods are running.')] });
    const job = await bench.addJob({ text: 'are the pods fine?' });
    await answerChatJob(job, deps);
    const root = bench.slack.messages(STEPS_CHANNEL).find((m) => m.threadTs === undefined && m.text.startsWith('are the pods fine?'));
    assert.ok(root !== undefined);
    const thread = bench.slack.thread(STEPS_CHANNEL, root.ts);
    assert.equal(thread.length, 2, 'root and the progress message that became the answer');
    assert.match(JSON.stringify(thread[1]), /All pods are running\./);
    assert.equal(closedAfterDelivery, true);
    const state = await deps.replyState.read(job.id ?? '');
    assert.equal(state.done, true);
    const kinds = (await bench.auditEvents()).filter((e) => e.jobId === job.id).map((e) => e.kind);
    assert.deepEqual(kinds, ['model_call', 'tool_call', 'model_call', 'answer']);
    const calls = bench.slack.calls.length;
    await answerChatJob(job, deps);
    assert.equal(bench.slack.calls.length, calls);
    assert.equal(fake.model.requests.length, 2);
  });

  it('a model error the user should read ends in the thread, audited once; the toolbox is closed', async () => {
    const toolbox = scriptedToolbox(() => ({ text: 'ok', isError: false }));
    const badKey = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.model.url, maxRetries: 0 });
    const job = await bench.addJob({ text: 'and now?' });
    await answerChatJob(job, bench.deps({ anthropic: badKey, connectToolbox: () => Promise.resolve(toolbox) }));
    const root = bench.slack.messages(STEPS_CHANNEL).find((m) => m.threadTs === undefined && m.text.startsWith('and now?'));
    assert.ok(root !== undefined);
    assert.match(JSON.stringify(bench.slack.thread(STEPS_CHANNEL, root.ts)), /refused our credentials/);
    assert.equal(toolbox.closed, true);
    const kinds = (await bench.auditEvents()).filter((e) => e.jobId === job.id).map((e) => e.kind);
    assert.deepEqual(kinds, ['answer_failed']);
  });
});
