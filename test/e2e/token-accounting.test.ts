import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

describe('every token is counted', () => {
  it('charges the channel budget and audits each model call as it returns, also those of an attempt killed later', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000', CHANNEL_DAILY_TOKENS: '1000000' } });
    try {
      let reachedSecondCall!: () => void;
      const secondCall = new Promise<void>((resolve) => (reachedSecondCall = resolve));
      const usage = (input: number, output: number) => ({
        input_tokens: input,
        output_tokens: output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      });
      stack.model.script(
        // The first attempt: one call returns (1,050 tokens), its tools run, and the worker dies in the next call.
        { content: [toolUse('pods_list', { namespace: 'shop' })], usage: usage(1_000, 50) },
        async () => {
          reachedSecondCall();
          await sleep(5_000);
          return { content: [text('too late')] };
        },
        // The retry: two calls (220 + 330 tokens).
        { content: [toolUse('pods_list', { namespace: 'shop' })], usage: usage(200, 20) },
        { content: [text('Checkout is crashlooping.')], usage: usage(300, 30) },
      );
      await stack.slashCommand({ text: 'how much does this cost?' });
      await secondCall;
      const [first] = stack.workers;
      first?.kill('SIGKILL');
      await new Promise((resolve) => first?.once('exit', resolve));
      stack.spawnWorker();
      await waitForAnswer(stack.slack, 'how much does this cost?', 45_000);

      const day = new Date().toISOString().slice(0, 10);
      const charged = Number(await stack.redis.get(redisKeys(stack.prefix).budget('slack:C0SHOP0001', day)));
      assert.equal(charged, 1_050 + 220 + 330, 'the killed attempt’s call was not charged');
      const { events } = await readAudit(stack.redis, stack.prefix);
      const calls = events.filter((e) => e.kind === 'model_call');
      assert.deepEqual(
        calls.map((e) => ('usage' in e && e.usage !== undefined ? e.usage.inputTokens + e.usage.outputTokens : -1)),
        [1_050, 220, 330],
      );
    } finally {
      await stack.stop();
    }
  });
});
