import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { queueMetrics, type CountedQueue } from '../../src/metrics/queue-metrics.ts';
import { roleMetrics } from '../../src/metrics/role-metrics.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { parseMetrics, valueOf } from './parse-metrics.ts';

describe('queue metrics: jobs by queue and state, read from Redis at scrape time', () => {
  let redis: Redis;
  let queue: Queue;
  const prefix = uniqueName('qm');
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue('chat', { connection: redis, prefix });
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('reports waiting and delayed jobs of a real BullMQ queue, and follows changes between scrapes', async () => {
    const registry = new Registry();
    queueMetrics({ registry, queues: [queue], refreshMs: 0 });
    let samples = parseMetrics(await registry.metrics());
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'waiting' }), 0);
    assert.ok(
      samples.some((s) => s.name === 'ai4k8s_queue_jobs' && s.labels.state === 'completed'),
      'every state is reported, zero or not',
    );

    await queue.add('answer', { n: 1 });
    await queue.add('answer', { n: 2 });
    await queue.add('answer', { n: 3 }, { delay: 60_000 });
    samples = parseMetrics(await registry.metrics());
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'waiting' }), 2);
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'delayed' }), 1);
    assert.equal(valueOf(samples, 'ai4k8s_queue_workers', { queue: 'chat' }), 0);
  });

  it("counts a queue added after the metrics were made (the gateway's optional alert queue)", async () => {
    const later: CountedQueue = {
      name: 'alert',
      getJobCounts: () => Promise.resolve({ waiting: 7 }),
      getWorkersCount: () => Promise.resolve(1),
    };
    const metrics = roleMetrics({ queues: [queue] });
    metrics.countQueue(later);
    const samples = parseMetrics(await metrics.registry.metrics());
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'alert', state: 'waiting' }), 7);
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'alert', state: 'failed' }), 0);
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'waiting' }), 2);
    assert.throws(() => roleMetrics().countQueue(later), /not given queues/);
  });

  it('leaves a queue out of the scrape (rather than hanging or reporting 0) when Redis does not answer', async () => {
    const registry = new Registry();
    const stuck: CountedQueue = {
      name: 'stuck',
      getJobCounts: () => new Promise(() => undefined),
      getWorkersCount: () => new Promise(() => undefined),
    };
    queueMetrics({ registry, queues: [stuck, queue], timeoutMs: 200, refreshMs: 0 });
    const started = Date.now();
    const samples = parseMetrics(await registry.metrics());
    assert.ok(Date.now() - started < 2_000, 'the scrape waited for the stuck queue');
    assert.equal(samples.filter((s) => s.labels.queue === 'stuck').length, 0);
    assert.equal(valueOf(samples, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'waiting' }), 2);
  });
});
