import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

const SLACK_CANARY = 'xoxb-2718281828-3141592653-AuDiTcAnArYtOkEn';
const JWT_CANARY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdWRpdC1jYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';

describe('audit: every tool call and every answer lands in the Redis stream, redacted', () => {
  let stack: Stack;
  before(async () => {
    // Short retry windows: a model that stays down ends the answer in seconds (limiter, then the job's re-queues).
    stack = await startStack({ env: { RETRY_WINDOW_SECONDS: '1', MODEL_RETRY_WINDOW_MS: '1500' } });
  });
  after(async () => {
    await stack.stop();
  });

  it('records two tool calls and the answer with who, where, what and the tokens used', async () => {
    stack.model.script(
      {
        content: [
          toolUse('pods_list', { namespace: 'shop' }),
          toolUse('kubectl', { command: `get pods -n shop -l token=${SLACK_CANARY},jwt=${JWT_CANARY}` }),
        ],
        usage: { input_tokens: 1000, output_tokens: 40, cache_creation_input_tokens: 3000, cache_read_input_tokens: 0 },
      },
      {
        content: [text('All fine.')],
        usage: { input_tokens: 1500, output_tokens: 60, cache_creation_input_tokens: 0, cache_read_input_tokens: 3000 },
      },
    );
    const question = 'audit me please';
    await stack.slashCommand({ text: question, userId: 'U0AUDIT001', channelId: 'C0AUDIT001' });
    await waitForAnswer(stack.slack, question);
    await sleep(100); // the answer event is written right after the answer is delivered

    const { events, raw } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => e.user === 'U0AUDIT001');
    // Every model call is audited as it returns (model_call); the answer sums them.
    assert.deepEqual(mine.map((e) => e.kind).sort(), ['answer', 'model_call', 'model_call', 'tool_call', 'tool_call']);
    for (const event of mine) {
      assert.equal(event.platform, 'slack');
      assert.equal(event.channel, 'C0AUDIT001');
      // The MCP server's kube context (and its cluster), learned by the worker: not the MCP server's host:port.
      assert.equal(event.cluster, 'admin (ai4k8s-test)');
      assert.ok(!Number.isNaN(Date.parse(event.at)), event.at);
      assert.ok(event.durationMs >= 0);
    }
    assert.equal(new Set(mine.map((e) => e.jobId)).size, 1);
    const calls = mine.flatMap((e) => (e.kind === 'tool_call' ? [e] : []));
    const pods = calls.find((e) => e.tool === 'pods_list');
    assert.deepEqual(pods?.arguments, { namespace: 'shop' });
    assert.equal(pods?.result, 'ok');
    const kubectl = calls.find((e) => e.tool === 'kubectl');
    assert.match(JSON.stringify(kubectl?.arguments), /get pods -n shop -l token=\[redacted: slack token\],jwt=\[redacted: jwt\]/);
    const answer = mine.find((e) => e.kind === 'answer');
    assert.deepEqual(answer?.kind === 'answer' ? answer.usage : undefined, {
      inputTokens: 2500,
      outputTokens: 100,
      cacheReadTokens: 3000,
      cacheWriteTokens: 3000,
    });
    const perCall = mine.flatMap((e) => (e.kind === 'model_call' ? [e.usage.inputTokens + e.usage.outputTokens] : []));
    assert.deepEqual(
      perCall.sort((a, b) => a - b),
      [1040, 1560],
    );
    // No secret reaches the audit stream, whatever field it would have been in.
    assert.ok(!raw.includes(SLACK_CANARY) && !raw.includes(JWT_CANARY), 'a canary reached the audit stream');
    assert.ok(!raw.includes('2718281828') && !raw.includes('eyJzdWIi'), 'part of a canary reached the audit stream');
  });

  it('records a failed answer (model unavailable) as answer_failed', async () => {
    stack.model.reset();
    for (let i = 0; i < 40; i += 1) stack.model.script({ error: { status: 529 } });
    const question = 'is the model down?';
    await stack.slashCommand({ text: question, userId: 'U0AUDIT002' });
    await waitForAnswer(stack.slack, question, 30_000);
    await sleep(100);
    const { events } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => e.user === 'U0AUDIT002');
    assert.deepEqual(
      mine.map((e) => [e.kind, e.result]),
      [['answer_failed', 'error']],
    );
    assert.equal(mine[0]?.kind === 'answer_failed' ? mine[0].error : undefined, 'model_unavailable');
  });
});
