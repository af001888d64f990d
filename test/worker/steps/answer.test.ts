import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelBudget } from '../../../src/budget/channel-budget.ts';
import type { AnswerChatJobDeps } from '../../../src/worker/answer-chat-job.ts';
import { answer } from '../../../src/worker/steps/answer.ts';
import { connectJobToolbox } from '../../../src/worker/steps/job-toolbox.ts';
import { budgetKeyOf } from '../../../src/worker/steps/preflight.ts';
import type { ChatJob } from '../../../src/queue/chat-job.ts';
import { text, toolUse } from '../../../dev/fakes/fake-anthropic-api.ts';
import {
  openUpToAnswer,
  fakeModelSuite,
  chatJobStepsSuite,
  scriptedToolbox,
  STEPS_CHANNEL,
  replyText,
} from '../../../dev/support/chat-job-steps.ts';

describe("answer: the question answered with the cluster's tools", () => {
  const bench = chatJobStepsSuite();
  const fake = fakeModelSuite();

  const answering = async (deps: AnswerChatJobDeps, over: Partial<ChatJob> = {}, signal?: AbortSignal) => {
    const job = await bench.addJob(over);
    return openUpToAnswer({ job, deps, run: { signal } });
  };

  it('direct mode runs the command through the kubectl tool, audited', async () => {
    const toolbox = scriptedToolbox(() => ({ text: 'NAME READY\ncheckout-1 1/1', isError: false }));
    const ctx = await answering(bench.deps({ connectToolbox: () => Promise.resolve(toolbox) }), { text: 'get pods -n shop' });
    const reply = await answer(ctx, { kind: 'direct', command: 'get pods -n shop' }, await connectJobToolbox(ctx));
    assert.deepEqual(toolbox.calls, [{ name: 'kubectl', input: { command: 'get pods -n shop' } }]);
    assert.match(replyText(reply), /`kubectl get pods -n shop`[\s\S]*checkout-1 1\/1[\s\S]*cluster: steps-cluster/);
    assert.equal(reply.turn, undefined, 'direct mode remembers no turn');
    const tools = (await bench.auditEvents()).filter((e) => e.jobId === ctx.jobId && e.kind === 'tool_call');
    assert.equal(tools.length, 1);
  });

  it("the model's tool loop: progress shows the tool, each model call is charged and audited, the turn is returned for memory", async () => {
    const toolbox = scriptedToolbox(() => ({ text: 'checkout-1 Running', isError: false }));
    const budget = channelBudget({ redis: bench.redis, prefix: bench.prefix, dailyTokens: 1_000_000 });
    const ctx = await answering(
      bench.deps({ anthropic: fake.anthropic, channelBudget: budget, connectToolbox: () => Promise.resolve(toolbox) }),
    );
    fake.model.script(
      { content: [toolUse('pods_list', { namespace: 'shop' })], usage: { input_tokens: 100, output_tokens: 20 } },
      { content: [text('All pods in shop are running.')], usage: { input_tokens: 150, output_tokens: 30 } },
    );
    const reply = await answer(ctx, { kind: 'model', anthropic: fake.anthropic }, await connectJobToolbox(ctx));
    assert.deepEqual(fake.model.violations, []);
    assert.equal(reply.answeredText, 'All pods in shop are running.');
    assert.deepEqual(
      reply.turn?.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
    assert.deepEqual(reply.audit, { usage: { inputTokens: 250, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    assert.equal(reply.findings, undefined, 'only an alert investigation pins findings');
    const events = (await bench.auditEvents()).filter((e) => e.jobId === ctx.jobId);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['model_call', 'tool_call', 'model_call'],
    );
    assert.equal(
      await bench.redis.get(`{${bench.prefix}}:budget:${budgetKeyOf(ctx.data)}:${new Date().toISOString().slice(0, 10)}`),
      '300',
    );
    await ctx.progress.stop();
    const progress = bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === ctx.progress.progressId);
    assert.match(progress?.edits.at(-1)?.text ?? '', /pods_list/, 'the progress message never showed the tool');
  });

  it("an alert investigation's answer is returned as findings to pin", async () => {
    const toolbox = scriptedToolbox(() => ({ text: 'ok', isError: false }));
    const ctx = await answering(bench.deps({ anthropic: fake.anthropic, connectToolbox: () => Promise.resolve(toolbox) }), {
      purpose: 'alert_investigation',
    });
    fake.model.script({ content: [text('The rollout of checkout broke it.')] });
    const reply = await answer(ctx, { kind: 'model', anthropic: fake.anthropic }, await connectJobToolbox(ctx));
    assert.equal(reply.findings, 'The rollout of checkout broke it.');
  });

  it('an aborted job makes no model call and throws', async () => {
    const toolbox = scriptedToolbox(() => ({ text: 'ok', isError: false }));
    const controller = new AbortController();
    const ctx = await answering(
      bench.deps({ anthropic: fake.anthropic, connectToolbox: () => Promise.resolve(toolbox) }),
      {},
      controller.signal,
    );
    controller.abort('shutdown');
    fake.model.script({ content: [text('never asked')] });
    await assert.rejects(answer(ctx, { kind: 'model', anthropic: fake.anthropic }, await connectJobToolbox(ctx)));
    assert.equal(fake.model.requests.length, 0);
    await ctx.progress.stop();
  });
});
