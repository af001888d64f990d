import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Queue } from 'bullmq';
import { QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import { CHAT_QUEUE, chatJobId, chatJobOptions, createChatQueue, enqueueChatJob } from '../../src/queue/chat-queue.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

function job(deliveryId: string): ChatJob {
  return {
    platform: 'slack',
    deliveryId,
    conversationKey: `slack:T1:C1:${deliveryId}`,
    replyTarget: { platform: 'slack', teamId: 'T1', channel: 'C1' },
    user: { id: 'U1' },
    text: 'why?',
    receivedAt: new Date().toISOString(),
  };
}

describe('the chat queue on real Redis (BullMQ)', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue<ChatJob>;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    prefix = uniqueName('queue');
    queue = createChatQueue({ connection: redis, prefix, logger: createLogger({ level: 'silent' }) });
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    assert.deepEqual(await redis.keys(`${redisKeys(prefix).tag}:*`), []);
    redis.disconnect();
  });

  it('derives a stable, Redis-safe job id from the platform delivery id', () => {
    const id = chatJobId(job('command:T1:123.456.abc'));
    assert.equal(id, chatJobId(job('command:T1:123.456.abc')));
    assert.notEqual(id, chatJobId(job('command:T1:123.456.abd')));
    assert.match(id, /^slack-[0-9a-f]{32}$/);
  });

  it('makes one job of a delivery enqueued twice, even concurrently', async () => {
    const ids = await Promise.all([
      enqueueChatJob(queue, job('dup-1')),
      enqueueChatJob(queue, job('dup-1')),
      enqueueChatJob(queue, job('dup-1')),
    ]);
    assert.equal(new Set(ids).size, 1);
    assert.equal(await queue.getWaitingCount(), 1);
    const stored = await queue.getJob(ids[0] ?? '');
    assert.equal(stored?.data.deliveryId, 'dup-1');
    assert.equal(stored?.opts.attempts, chatJobOptions.attempts);
    assert.deepEqual(stored?.opts.backoff, chatJobOptions.backoff);
  });

  it('retries a failing job with backoff, then keeps the failure; a finished job still dedupes', async () => {
    const local = uniqueName('retry');
    const connection = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    const q = createChatQueue({ connection, prefix: local, logger: createLogger({ level: 'silent' }) });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(CHAT_QUEUE, { connection: eventsConnection, prefix: redisKeys(local).queuePrefix });
    await events.waitUntilReady();
    const attempts: number[] = [];
    const worker = new Worker<ChatJob>(
      CHAT_QUEUE,
      (j) => {
        attempts.push(Date.now());
        if (j.data.deliveryId === 'flaky' && attempts.length < 2) throw new Error('transient');
        return Promise.resolve();
      },
      { connection, prefix: redisKeys(local).queuePrefix },
    );
    try {
      const id = await q.add('answer', job('flaky'), {
        ...chatJobOptions,
        backoff: { type: 'fixed', delay: 300 },
        jobId: chatJobId(job('flaky')),
      });
      await id.waitUntilFinished(events, 10_000);
      assert.equal(attempts.length, 2);
      assert.ok((attempts[1] ?? 0) - (attempts[0] ?? 0) >= 250, 'no backoff between attempts');
      // The completed job is retained, so a late re-delivery of the same id is ignored.
      await enqueueChatJob(q, job('flaky'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(attempts.length, 2);
      assert.equal(await q.getCompletedCount(), 1);
    } finally {
      await worker.close();
      await events.close();
      await q.obliterate({ force: true });
      await q.close();
      connection.disconnect();
      eventsConnection.disconnect();
    }
  });
});
