import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const CHANNEL = 'C0BUDGET01';

describe('CHANNEL_DAILY_TOKENS: a channel that spent its daily budget gets a clear refusal, without a model call', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { CHANNEL_DAILY_TOKENS: '1000' } });
  });
  after(async () => {
    await stack.stop();
  });

  it('answers until the budget is spent, then refuses in the thread; other channels are not affected', async () => {
    stack.model.script({ content: [text('All pods are running.')], usage: { input_tokens: 900, output_tokens: 200 } });
    await stack.slashCommand({ text: 'budget question one', userId: 'U0BUDGET01', channelId: CHANNEL });
    const first = await waitForAnswer(stack.slack, 'budget question one');
    assert.match(first.replies.at(-1)?.text ?? '', /All pods are running\./);
    assert.equal(stack.model.requests.length, 1);

    await stack.slashCommand({ text: 'budget question two', userId: 'U0BUDGET01', channelId: CHANNEL });
    const second = await waitForAnswer(stack.slack, 'budget question two');
    assert.match(
      second.replies.at(-1)?.text ?? '',
      /This channel has used its daily AI budget \(1,000 tokens\), so I did not ask the model\. It resets at 00:00 UTC\./,
    );
    assert.equal(stack.model.requests.length, 1, 'the model was asked although the budget was spent');

    stack.model.script({ content: [text('Elsewhere all is fine.')], usage: { input_tokens: 10, output_tokens: 5 } });
    await stack.slashCommand({ text: 'budget question elsewhere', userId: 'U0BUDGET01', channelId: 'C0BUDGET02' });
    const other = await waitForAnswer(stack.slack, 'budget question elsewhere');
    assert.match(other.replies.at(-1)?.text ?? '', /Elsewhere all is fine\./);
    assert.equal(stack.model.requests.length, 2);

    await sleep(100);
    const day = new Date().toISOString().slice(0, 10);
    assert.equal(await stack.redis.get(redisKeys(stack.prefix).budget(`slack:${CHANNEL}`, day)), '1100');
    assert.ok((await stack.redis.ttl(redisKeys(stack.prefix).budget(`slack:${CHANNEL}`, day))) > 24 * 3600);
    const { events } = await readAudit(stack.redis, stack.prefix);
    const refused = events.filter((e) => e.channel === CHANNEL && e.kind === 'answer_failed');
    assert.deepEqual(
      refused.map((e) => (e.kind === 'answer_failed' ? e.error : '')),
      ['channel_budget_spent'],
    );
  });
});
