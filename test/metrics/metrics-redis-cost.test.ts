import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createApprovalQueue } from '../../src/queue/approval-queue.ts';
import { createChatQueue } from '../../src/queue/chat-queue.ts';
import { startHttpServer, type HttpServerHandle } from '../../src/http/start-http-server.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { roleMetrics } from '../../src/metrics/role-metrics.ts';
import { startRedisServer, type TestRedis } from '../../dev/services/redis-server.ts';

/** Commands Redis has executed since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandsRun(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  return [...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)]
    .filter(([, name]) => name !== 'info' && name !== 'config|resetstat')
    .reduce((sum, [, , calls]) => sum + Number(calls), 0);
}

/**
 * The gateway's /metrics is public: a flood of scrapes must not become a flood of Redis commands. A Redis server of
 * its own, so INFO commandstats counts only this test's commands.
 */
describe("the gateway's /metrics costs Redis at most one round of reads per refresh interval", { timeout: 60_000 }, () => {
  let server: TestRedis;
  let redis: Redis;
  let http: HttpServerHandle;
  let closeQueues: () => Promise<void>;
  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    const logger = createLogger({ level: 'silent' });
    const queues = [
      createChatQueue({ connection: redis, prefix: 'metrics-cost', logger }),
      createApprovalQueue({ connection: redis, prefix: 'metrics-cost', logger }),
    ];
    await Promise.all(queues.map((queue) => queue.waitUntilReady()));
    closeQueues = async () => void (await Promise.all(queues.map((queue) => queue.close())));
    const metrics = roleMetrics({ queues, queueRefreshMs: 1_500 });
    http = await startHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), routes: metrics.routes });
  });
  after(async () => {
    await http?.close();
    await closeQueues?.();
    redis?.disconnect();
    await server?.stop();
  });

  const scrape = async () => {
    const response = await fetch(`${http.url}/metrics`);
    const text = await response.text();
    assert.equal(response.status, 200);
    assert.match(text, /ai4k8s_queue_jobs\{queue="chat",state="waiting"\} 0/);
  };

  it('answers 50 scrapes in a row, and 20 at once, with one round of reads; reads again after the interval', async () => {
    const stats = new Redis(server.url);
    try {
      await stats.config('RESETSTAT');
      await scrape();
      const oneRound = await commandsRun(stats);
      assert.ok(oneRound > 0, 'the first scrape read the queues');
      for (let i = 0; i < 49; i += 1) await scrape();
      await Promise.all(Array.from({ length: 20 }, scrape));
      assert.equal(await commandsRun(stats), oneRound, 'scrapes within the interval reached Redis');

      await new Promise((resolve) => setTimeout(resolve, 1_600));
      await stats.config('RESETSTAT');
      await Promise.all(Array.from({ length: 20 }, scrape));
      assert.equal(await commandsRun(stats), oneRound, 'concurrent scrapes after the interval did not share one read');
    } finally {
      stats.disconnect();
    }
  });
});
