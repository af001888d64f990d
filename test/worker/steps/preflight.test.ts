import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { channelBudget } from '../../../src/budget/channel-budget.ts';
import { budgetKeyOf, preflight } from '../../../src/worker/steps/preflight.ts';
import { chatJobStepsSuite, replyText } from '../../../dev/support/chat-job-steps.ts';

describe('preflight: how a question is answered, before the model or the cluster is asked', () => {
  const bench = chatJobStepsSuite();
  // Never called: preflight only asks whether a model is configured.
  const anthropic = new Anthropic({ apiKey: 'sk-ant-unused', baseURL: 'http://127.0.0.1:9' });
  const dataOf = async (text: string) => (await bench.addJob({ text })).data;

  it('an empty mention, "help" or a question over the limit gets a notice (with or without a model)', async () => {
    for (const deps of [bench.deps(), bench.deps({ anthropic })]) {
      for (const text of ['', '  help ', 'x'.repeat(2_001)]) {
        const verdict = await preflight({ data: await dataOf(text), deps });
        assert.equal(verdict.kind, 'notice', JSON.stringify(text.slice(0, 10)));
      }
    }
    const tooLong = await preflight({ data: await dataOf('x'.repeat(2_001)), deps: bench.deps() });
    assert.ok(tooLong.kind === 'notice');
    assert.match(tooLong.text, /2001 characters long; the limit is 2000/);
  });

  it('without a model: a kubectl-style command runs in direct mode; a free-form question is told how to configure AI', async () => {
    const direct = await preflight({ data: await dataOf('k get pods -n shop'), deps: bench.deps() });
    assert.deepEqual(direct, { kind: 'direct', command: 'get pods -n shop' });
    const free = await preflight({ data: await dataOf('why is checkout slow?'), deps: bench.deps() });
    assert.ok(free.kind === 'reply');
    assert.match(replyText(free.reply), /AI is not configured/);
    assert.deepEqual(free.reply.audit, { usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } });
  });

  it('a channel that spent its daily tokens is refused without a model call; another channel is not', async () => {
    const budget = channelBudget({ redis: bench.redis, prefix: bench.prefix, dailyTokens: 1_000 });
    const deps = bench.deps({ anthropic, channelBudget: budget });
    const data = await dataOf('why is checkout slow?');
    assert.deepEqual(await preflight({ data, deps }), { kind: 'model', anthropic });
    await budget.add(budgetKeyOf(data), 1_000);
    const spent = await preflight({ data, deps });
    assert.ok(spent.kind === 'reply');
    assert.match(replyText(spent.reply), /used its daily AI budget \(1,000 tokens\)/);
    assert.deepEqual(spent.reply.audit, { error: 'channel_budget_spent' });
    const elsewhere = { ...data, replyTarget: { ...data.replyTarget, channel: 'C0OTHER001' } };
    assert.equal((await preflight({ data: elsewhere, deps })).kind, 'model');
  });
});
