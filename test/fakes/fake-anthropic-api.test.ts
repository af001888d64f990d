import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { startFakeAnthropicApi, text, toolUse, type FakeAnthropicApi } from '../../dev/fakes/fake-anthropic-api.ts';

const model = 'claude-sonnet-4-6';
const tools: Tool[] = [
  {
    name: 'pods_list',
    description: 'List pods in a namespace',
    input_schema: { type: 'object', properties: { namespace: { type: 'string' } }, required: ['namespace'] },
  },
];
const question: MessageParam = { role: 'user', content: 'why is checkout crashlooping?' };

describe('fake Anthropic Messages API', () => {
  let fake: FakeAnthropicApi;
  let client: Anthropic;

  before(async () => {
    fake = await startFakeAnthropicApi();
    client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await fake.stop();
  });

  it('plays a scripted tool_use turn, then an end_turn chosen from the tool result', async () => {
    fake.script(
      { content: [text('Checking pods.'), toolUse('pods_list', { namespace: 'checkout' })], expectTools: ['pods_list'] },
      (request) => {
        const last = request.messages.at(-1) as { content: { type: string; content?: string }[] };
        const result = last.content.find((b) => b.type === 'tool_result');
        return { content: [text(`Seen: ${result?.content ?? 'nothing'}`)] };
      },
    );
    const first = await client.messages.create({ model, max_tokens: 1024, tools, messages: [question] });
    assert.equal(first.stop_reason, 'tool_use');
    assert.match(first.id, /^msg_01[A-Za-z0-9]{22}$/);
    const call = first.content.find((b) => b.type === 'tool_use');
    assert.ok(call?.type === 'tool_use');
    assert.match(call.id, /^toolu_01[A-Za-z0-9]{22}$/);
    assert.deepEqual(call.input, { namespace: 'checkout' });
    assert.ok(first.usage.input_tokens > 10 && first.usage.output_tokens > 0);

    const second = await client.messages.create({
      model,
      max_tokens: 1024,
      tools,
      messages: [
        question,
        { role: 'assistant', content: first.content as MessageParam['content'] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'checkout-7d9f OOMKilled x5' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'Seen: checkout-7d9f OOMKilled x5' }]);
    assert.ok(second.usage.input_tokens > first.usage.input_tokens, 'input tokens grow with the conversation');
    assert.equal(fake.pending(), 0);
    assert.deepEqual(fake.violations, []);
    assert.equal(fake.requests.length, 2);
  });

  it('refuses a tool_result for an unknown id with 400 and records the violation', async () => {
    fake.script({ content: [text('unused')] });
    const id = 'toolu_01AAAAAAAAAAAAAAAAAAAAAA';
    const messages: MessageParam[] = [
      question,
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'pods_list', input: { namespace: 'checkout' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01BBBBBBBBBBBBBBBBBBBBBB', content: 'x' }] },
    ];
    await assert.rejects(client.messages.create({ model, max_tokens: 64, tools, messages }), (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.match(error.message, /unexpected `tool_use_id` found in `tool_result` blocks: toolu_01B/);
      return true;
    });
    assert.equal(fake.violations.length, 1);
    assert.equal(fake.violations[0]?.kind, 'invalid_request');
    assert.equal(fake.pending(), 1, 'a refused request does not use up the script');
  });

  it('refuses a missing tool_result the way the API words it', async () => {
    const id = 'toolu_01CCCCCCCCCCCCCCCCCCCCCC';
    const messages: MessageParam[] = [
      question,
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'pods_list', input: {} }] },
      { role: 'user', content: 'and?' },
    ];
    await assert.rejects(
      client.messages.create({ model, max_tokens: 64, tools, messages }),
      /messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01C/,
    );
  });

  it('refuses requests without required fields or alternating roles', async () => {
    const bad = (body: object) => client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming);
    await assert.rejects(bad({ model, messages: [question] }), /max_tokens: Field required/);
    await assert.rejects(bad({ max_tokens: 5, messages: [question] }), /model: Field required/);
    await assert.rejects(
      bad({ model, max_tokens: 5, messages: [{ role: 'assistant', content: 'hi' }] }),
      /first message must use the \\?"user\\?" role/,
    );
    await assert.rejects(bad({ model, max_tokens: 5, messages: [question, question] }), /roles must alternate/);
    assert.equal(fake.violations.length, 4);
  });

  it('answers a scripted 529 as overloaded_error with a request id', async () => {
    fake.script({ error: { status: 529 } });
    await assert.rejects(client.messages.create({ model, max_tokens: 64, messages: [question] }), (error) => {
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.status, 529);
      assert.deepEqual((error.error as { error?: unknown }).error, { type: 'overloaded_error', message: 'Overloaded' });
      assert.match(error.requestID ?? '', /^req_/);
      return true;
    });
  });

  it('answers 500 with a clear message when the script is empty, and records it', async () => {
    await assert.rejects(client.messages.create({ model, max_tokens: 64, messages: [question] }), (error) => {
      assert.ok(error instanceof Anthropic.InternalServerError);
      assert.match(error.message, /no scripted response left/);
      return true;
    });
    assert.equal(fake.violations[0]?.kind, 'script');
  });

  it('will not play a tool_use for a tool the request did not offer', async () => {
    fake.script({ content: [toolUse('node_cordon', { node: 'node-3' })] });
    await assert.rejects(client.messages.create({ model, max_tokens: 64, tools, messages: [question] }), /did not offer: node_cordon/);
  });

  it('refuses wrong keys with 401, and a missing anthropic-version or stream:true with 400', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url, maxRetries: 0 });
    await assert.rejects(wrong.messages.create({ model, max_tokens: 64, messages: [question] }), (error) => {
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.equal(error.status, 401);
      return true;
    });
    const post = (headers: Record<string, string>, body: object) =>
      fetch(`${fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const noVersion = await post({ 'x-api-key': fake.apiKey }, { model, max_tokens: 5, messages: [question] });
    assert.equal(noVersion.status, 400);
    assert.deepEqual(((await noVersion.json()) as { error: unknown }).error, {
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    });
    const streaming = await post(
      { 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' },
      { model, max_tokens: 5, stream: true, messages: [question] },
    );
    assert.equal(streaming.status, 400);
    assert.match(JSON.stringify(await streaming.json()), /does not stream/);
  });

  it('answers with the keys and types of the documented response fixtures', async () => {
    const fixture = (name: string): unknown =>
      JSON.parse(readFileSync(join(import.meta.dirname, '../../dev/fakes/fixtures', 'anthropic', name), 'utf8'));
    fake.script({ content: [text('Looking.'), toolUse('pods_list', { namespace: 'checkout' })] }, { content: [text('Done.')] });
    const toolTurn = await client.messages.create({ model, max_tokens: 64, tools, messages: [question] });
    const call = toolTurn.content.find((b) => b.type === 'tool_use');
    const endTurn = await client.messages.create({
      model,
      max_tokens: 64,
      tools,
      messages: [
        question,
        { role: 'assistant', content: toolTurn.content as MessageParam['content'] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call?.type === 'tool_use' ? call.id : '', content: 'ok' }] },
      ],
    });
    // The SDK adds `_request_id` to what it returns; the wire body is what the fixtures describe.
    const { _request_id: _first, ...toolWire } = toolTurn;
    const { _request_id: _second, ...endWire } = endTurn;
    assert.deepEqual(shapeOf(toolWire), shapeOf(fixture('tool-use-turn.json')));
    assert.deepEqual(shapeOf(endWire), shapeOf(fixture('end-turn-turn.json')));
  });
});

describe('fake Anthropic Messages API with retries and options', () => {
  it('answers 429 with retry-after; the SDK waits and retries', async () => {
    const fake = await startFakeAnthropicApi({ apiKey: 'sk-ant-own' });
    try {
      fake.script({ error: { status: 429, retryAfter: 1 } }, { content: [text('after the limit')] });
      const client = new Anthropic({ apiKey: 'sk-ant-own', baseURL: fake.url, maxRetries: 2 });
      const started = Date.now();
      const reply = await client.messages.create({ model, max_tokens: 64, messages: [question] });
      assert.deepEqual(reply.content, [{ type: 'text', text: 'after the limit' }]);
      assert.ok(Date.now() - started >= 1000, 'the SDK honoured retry-after: 1');
      const seen = await fake.waitForRequests(2, 100);
      assert.deepEqual(
        seen.map((r) => r.status),
        [429, 200],
      );
    } finally {
      await fake.stop();
    }
  });

  it('with requireTools, refuses a request that offers none; waitForRequests times out helpfully', async () => {
    const fake = await startFakeAnthropicApi({ requireTools: true });
    try {
      fake.script({ content: [text('unused')] });
      const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
      await assert.rejects(
        client.messages.create({ model, max_tokens: 64, messages: [question] }),
        /requires every request to offer tools/,
      );
      assert.equal(fake.violations.length, 1);
      await assert.rejects(fake.waitForRequests(2, 50), /timed out after 50 ms waiting for 2 requests[\s\S]*#0 → 400/);
    } finally {
      await fake.stop();
    }
  });
});

describe('fake Anthropic Messages API rate limits and latency', () => {
  it('answers requests over its in-flight limit with a rate_limit_error 429, retry-after and anthropic-ratelimit-* headers', async () => {
    const fake = await startFakeAnthropicApi({ latencyMs: 300, rateLimits: { maxInFlight: 2, inFlightRetryAfterSeconds: 2 } });
    try {
      fake.script(...Array.from({ length: 2 }, () => ({ content: [text('ok')] })));
      const call = () =>
        fetch(`${fake.url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
          body: JSON.stringify({ model, max_tokens: 64, messages: [question] }),
        });
      const started = performance.now();
      const responses = await Promise.all([call(), call(), call()]);
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.ok(performance.now() - started >= 300, 'each admitted turn takes the fixed latency');
      const refused = responses.find((r) => r.status === 429);
      assert.equal(refused?.headers.get('retry-after'), '2');
      for (const r of responses) {
        assert.match(r.headers.get('anthropic-ratelimit-requests-limit') ?? '', /^\d+$/);
        assert.match(r.headers.get('anthropic-ratelimit-input-tokens-remaining') ?? '', /^\d+$/);
        assert.ok(!Number.isNaN(Date.parse(r.headers.get('anthropic-ratelimit-output-tokens-reset') ?? '')));
      }
      const body = (await refused?.json()) as { type: string; error: { type: string; message: string }; request_id: string };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'rate_limit_error');
      assert.match(body.request_id, /^req_011C/);
      assert.equal(fake.peakInFlight(), 2);
      assert.equal(fake.pending(), 0, 'a refused request does not use up the script');
    } finally {
      await fake.stop();
    }
  });

  it('keeps per-minute token buckets as the API does and says how many requests remain', async () => {
    const fake = await startFakeAnthropicApi({ rateLimits: { requestsPerMinute: 2 } });
    try {
      fake.script(...Array.from({ length: 3 }, () => ({ content: [text('ok')] })));
      const client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
      const first = await client.messages.create({ model, max_tokens: 64, messages: [question] }).withResponse();
      assert.equal(first.response.headers.get('anthropic-ratelimit-requests-limit'), '2');
      assert.equal(first.response.headers.get('anthropic-ratelimit-requests-remaining'), '1');
      await client.messages.create({ model, max_tokens: 64, messages: [question] });
      await assert.rejects(client.messages.create({ model, max_tokens: 64, messages: [question] }), (error) => {
        assert.ok(error instanceof Anthropic.RateLimitError);
        assert.equal(error.headers.get('retry-after'), '30', 'one request per 30 s at 2 a minute');
        assert.match(error.message, /rate limit for your organization of 2 requests per minute/);
        return true;
      });
    } finally {
      await fake.stop();
    }
  });
});

/** Keys and value types, recursively; tool inputs and ids are free-form values. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const entries = Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, inner]) => [key, key === 'input' ? 'object' : shapeOf(inner)]);
  return Object.fromEntries(entries);
}
