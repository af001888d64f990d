import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import { ModelUnavailableError } from '../../src/agent/errors.ts';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import { maxSteps } from '../../src/agent/stop-conditions.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { createModelClients, type ModelClients } from '../../src/model/create-model-clients.ts';
import { startFakeAnthropicApi, text, type FakeAnthropicApi } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeRateLimitOptions } from '../../dev/fakes/anthropic-rate-limits.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const logger = createLogger({ level: 'silent' });
const model = 'claude-sonnet-4-6';
const limits = { maxInFlight: 256, requestsPerMinute: 0, inputTokensPerMinute: 0, outputTokensPerMinute: 0 };
const noTools: Toolbox = { tools: [], call: () => Promise.resolve({ text: '', isError: false }), close: () => Promise.resolve() };
const ask = (client: Anthropic) =>
  client.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: 'why is checkout down?' }] });

/** A fake model with the given limits, and `workers` sets of limited clients sharing one prefix, as separate workers do. */
async function setUp(rateLimits: FakeRateLimitOptions, { workers = 1, retryWindowMs = 60_000, latencyMs = 0 } = {}) {
  const fake = await startFakeAnthropicApi({ rateLimits, latencyMs });
  const url = await testRedisUrl();
  const prefix = uniqueName('model');
  const connections: Redis[] = [];
  const clients: ModelClients[] = [];
  for (let i = 0; i < workers; i += 1) {
    const redis = new Redis(url);
    connections.push(redis);
    clients.push(createModelClients({ apiKey: fake.apiKey, baseURL: fake.url, redis, prefix, limits, retryWindowMs, logger }));
  }
  const stop = async () => {
    for (const c of clients) c.close();
    const keys = await connections[0]?.keys(`${redisKeys(prefix).tag}:*`);
    if (keys !== undefined && keys.length > 0) await connections[0]?.del(...keys);
    await Promise.all(connections.map((r) => r.quit()));
    await fake.stop();
  };
  return { fake, clients, stop };
}

const answers = (fake: FakeAnthropicApi, count: number) => fake.script(...Array.from({ length: count }, () => ({ content: [text('ok')] })));

describe('model calls through the shared limiter (real SDK, fake API, real Redis)', () => {
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it(
    'rides out a 429 storm from two workers: every call answered, the in-flight limit learned, retries spread out',
    { timeout: 60_000 },
    async () => {
      const { fake, clients, stop } = await setUp({ maxInFlight: 5, inFlightRetryAfterSeconds: 1 }, { workers: 2, latencyMs: 300 });
      stops.push(stop);
      answers(fake, 40);
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => ask((clients[i % 2] as ModelClients).client('interactive'))));
      assert.equal(replies.length, 40);
      assert.ok(replies.every((r) => r.content[0]?.type === 'text'));
      const refused = fake.requests.filter((r) => r.status === 429);
      assert.ok(refused.length > 0, 'the storm happened');
      // Without the limiter's shared pause and lowered limit, the SDK retried every refused call in lockstep.
      assert.ok(refused.length < 80, `${refused.length} refusals for 40 calls`);
      const retryTimes = fake.requests.slice(40).map((r) => r.at);
      // In lockstep (no jitter) every retry lands in one slot; jittered ones spread over several, fewer on a busy machine.
      const slots = new Set(retryTimes.map((t) => Math.floor(t / 50))).size;
      assert.ok(
        slots >= 3,
        `retries arrive spread out, not together: ${retryTimes.length} requests after the first 40 (${refused.length} refusals) in ${slots} 50 ms slots`,
      );
    },
  );

  it('gives up with ModelUnavailableError(429) once the retry window closes, through the agent loop', { timeout: 30_000 }, async () => {
    const { fake, clients, stop } = await setUp({ maxInFlight: 0, inFlightRetryAfterSeconds: 1 }, { retryWindowMs: 2_500 });
    stops.push(stop);
    const started = Date.now();
    await assert.rejects(
      runAgent({
        anthropic: (clients[0] as ModelClients).client('interactive'),
        model,
        system: 's',
        question: 'q',
        toolbox: noTools,
        stopWhen: [maxSteps(2)],
      }),
      (error) => error instanceof ModelUnavailableError && error.status === 429,
    );
    const took = Date.now() - started;
    assert.ok(took >= 1_000 && took < 6_000, `gave up after ${took} ms`);
    // maxRetries 0 in the SDK: every request the fake saw is one the limiter chose to make.
    assert.ok(fake.requests.length >= 2 && fake.requests.length <= 4, `${fake.requests.length} requests`);
  });

  it('gives up at once when the API asks for a wait longer than the retry window', async () => {
    const { fake, clients, stop } = await setUp({ maxInFlight: 0, inFlightRetryAfterSeconds: 600 }, { retryWindowMs: 5_000 });
    stops.push(stop);
    const started = Date.now();
    await assert.rejects(ask((clients[0] as ModelClients).client('interactive')), ModelUnavailableError);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(fake.requests.length, 1);
  });

  it('does not retry what retrying cannot fix (a refused key)', async () => {
    const { fake, clients, stop } = await setUp({});
    stops.push(stop);
    const client = (clients[0] as ModelClients).client('interactive');
    await assert.rejects(
      client.withOptions({ apiKey: 'sk-ant-wrong' }).messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
      Anthropic.AuthenticationError,
    );
    assert.equal(fake.requests.length, 1);
  });
});
