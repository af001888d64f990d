import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/log/create-logger.ts';
import { ModelLimiterDeadlineError } from '../../src/model/errors.ts';
import { modelLimiter, type ModelLimiter, type ModelLimits } from '../../src/model/model-limiter.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const logger = createLogger({ level: 'silent' });
const unlimited: ModelLimits = { maxInFlight: 100, requestsPerMinute: 0, inputTokensPerMinute: 0, outputTokensPerMinute: 0 };
const call = { priority: 'interactive' as const, inputTokens: 100, outputTokens: 100 };

/** Two limiters on one prefix: two workers, each with its own Redis connection. */
async function twoWorkers(limits: ModelLimits, options: { leaseTtlMs?: number } = {}) {
  const url = await testRedisUrl();
  const prefix = uniqueName('limiter');
  const connections = [new Redis(url), new Redis(url)];
  const limiters = connections.map((redis) => modelLimiter({ redis, prefix, limits, logger, ...options })) as [ModelLimiter, ModelLimiter];
  return {
    limiters,
    stop: async () => {
      for (const limiter of limiters) limiter.close();
      const keys = await connections[0]?.keys(`${redisKeys(prefix).tag}:*`);
      if (keys !== undefined && keys.length > 0) await connections[0]?.del(...keys);
      await Promise.all(connections.map((redis) => redis.quit()));
    },
  };
}

describe('the model limiter shared through Redis', () => {
  const stops: (() => Promise<void>)[] = [];
  before(async () => {
    await testRedisUrl();
  });
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('never lets more calls than maxInFlight run across two workers, and serves every caller', async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, maxInFlight: 3 });
    stops.push(stop);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const permit = await limiters[i % 2]!.acquire(call);
        running += 1;
        peak = Math.max(peak, running);
        await sleep(30);
        running -= 1;
        await permit.release({ status: 200 });
      }),
    );
    assert.equal(peak, 3);
  });

  it('after a 429 with retry-after on one worker, the other waits it out too, and the in-flight limit is lowered', async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, maxInFlight: 10 });
    stops.push(stop);
    const permits = await Promise.all(Array.from({ length: 10 }, () => limiters[0].acquire(call)));
    await permits[0]!.release({ status: 429, retryAfterMs: 600 });
    // 10 were in flight at the refusal and the API took 9 of them: the limit drops to 9 (a success adds far less than one).
    await permits[1]!.release({ status: 200 });
    const started = performance.now();
    const next = await limiters[1].acquire(call);
    assert.ok(performance.now() - started >= 550, 'the pause is shared');
    const blocked = await Promise.race([limiters[1].acquire(call).then(() => 'granted'), sleep(300).then(() => 'waiting')]);
    assert.equal(blocked, 'waiting', 'nine in flight reached the lowered limit');
    await next.release({ status: 200 });
    for (const permit of permits.slice(2)) await permit.release({ status: 200 });
  });

  it('follows anthropic-ratelimit-* headers from any worker: no requests remaining means the others wait for the refill', async () => {
    const { limiters, stop } = await twoWorkers(unlimited);
    stops.push(stop);
    const permit = await limiters[0].acquire(call);
    // 600 requests a minute: one every 100 ms once none remain.
    await permit.release({
      status: 200,
      rateLimits: { requests: { limit: 600, remaining: 0 } },
      usage: { inputTokens: 100, outputTokens: 50 },
    });
    const started = performance.now();
    const next = await limiters[1].acquire(call);
    const waited = performance.now() - started;
    assert.ok(waited >= 70, `waited ${waited.toFixed(0)} ms for a request token`);
    await next.release({ status: 200 });
  });

  it('charges input tokens: a bucket spent by one worker holds the next big call on the other until it refills', async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, inputTokensPerMinute: 60_000 });
    stops.push(stop);
    const first = await limiters[0].acquire({ ...call, inputTokens: 1_000 });
    // The call used far more than estimated, the whole minute's 60,000: 1,500 more take 1.5 s to refill.
    await first.release({ status: 200, usage: { inputTokens: 60_000, outputTokens: 10 } });
    const started = performance.now();
    const second = await limiters[1].acquire({ ...call, inputTokens: 1_500 });
    const waited = performance.now() - started;
    assert.ok(waited >= 1_300, `waited ${waited.toFixed(0)} ms`);
    await second.release({ status: 200, usage: { inputTokens: 1_500, outputTokens: 10 } });
  });

  it("alert investigations yield to people's questions waiting on another worker", async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, maxInFlight: 1 });
    stops.push(stop);
    // The slot is freed on the investigation's own worker, which hears of it first: only the yield keeps it off.
    const holding = await limiters[1].acquire(call);
    const order: string[] = [];
    const background = limiters[1].acquire({ ...call, priority: 'background' }).then(async (permit) => {
      order.push('investigation');
      await permit.release({ status: 200 });
    });
    await sleep(100); // the investigation asked first
    const person = limiters[0].acquire(call).then(async (permit) => {
      order.push('question');
      await sleep(50);
      await permit.release({ status: 200 });
    });
    await sleep(100);
    await holding.release({ status: 200 });
    await Promise.all([background, person]);
    assert.deepEqual(order, ['question', 'investigation']);
  });

  it("frees a dead worker's slots when their leases expire", async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, maxInFlight: 2 }, { leaseTtlMs: 600 });
    stops.push(stop);
    await limiters[0].acquire(call);
    await limiters[0].acquire(call);
    limiters[0].close(); // the worker died holding both: nothing refreshes or releases them
    const started = performance.now();
    const permit = await limiters[1].acquire(call);
    const waited = performance.now() - started;
    assert.ok(waited >= 400 && waited < 3_000, `waited ${waited.toFixed(0)} ms`);
    await permit.release({ status: 200 });
  });

  it('a retry that cannot get a slot before its deadline gives up; an aborted wait ends at once', async () => {
    const { limiters, stop } = await twoWorkers({ ...unlimited, maxInFlight: 1 });
    stops.push(stop);
    const holding = await limiters[0].acquire(call);
    await assert.rejects(limiters[1].acquire({ ...call, deadline: Date.now() + 300 }), ModelLimiterDeadlineError);
    const abort = new AbortController();
    const waiting = limiters[1].acquire({ ...call, signal: abort.signal });
    abort.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await holding.release({ status: 200 });
  });
});
