import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ALERT_BODY_LIMIT, alertmanagerRoutes } from '../../../adapters/alertmanager/alertmanager-routes.ts';
import { startHttpServer, type HttpServerHandle } from '../../../src/http/start-http-server.ts';
import { createLogger } from '../../../src/log/create-logger.ts';
import type { AlertJob } from '../../../src/queue/alert-job.ts';
import { ALERT_QUEUE, createAlertQueue, enqueueAlertJob } from '../../../src/queue/alert-queue.ts';
import { testRedisUrl, uniqueName } from '../../../dev/services/shared.ts';
import { notificationBody } from '../../../dev/fakes/notification-fixture.ts';
import { redisKeys } from '../../../src/queue/redis-keys.ts';

const TOKEN = 'alerts-unit-token-91be-0123456789abcdef';

describe('POST /alerts/alertmanager', () => {
  let redis: Redis;
  let queue: Queue<AlertJob>;
  let server: HttpServerHandle;
  const prefix = uniqueName('alert-route');
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    queue = createAlertQueue({ connection: redis, prefix, logger: createLogger({ level: 'silent' }) });
    const routes = alertmanagerRoutes({
      token: TOKEN,
      enqueue: (job) => enqueueAlertJob(queue, job),
      logger: createLogger({ level: 'silent' }),
    });
    server = await startHttpServer({ host: '127.0.0.1', port: 0, routes, logger: createLogger({ level: 'silent' }) });
  });
  after(async () => {
    await server.close();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  const post = (body: string, authorization?: string) =>
    fetch(`${server.url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body,
    });
  const jobs = async () => (await queue.getJobs(['wait', 'active', 'completed', 'failed', 'delayed'])).map((job) => job.id);
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('refuses a missing or wrong token with 401 and queues nothing', async () => {
    const body = JSON.stringify(notificationBody());
    for (const authorization of [
      undefined,
      'Bearer nope',
      `Bearer ${TOKEN}x`,
      basic('alertmanager', 'nope'),
      basic(TOKEN, ''),
      `Token ${TOKEN}`,
      'Bearer ',
    ]) {
      const response = await post(body, authorization);
      assert.equal(response.status, 401, String(authorization));
    }
    assert.deepEqual(await jobs(), []);
  });

  it('refuses malformed payloads with 400 and queues nothing', async () => {
    const auth = `Bearer ${TOKEN}`;
    const bad = [
      '{',
      '[]',
      JSON.stringify(notificationBody({ version: '3' })),
      JSON.stringify(notificationBody({ groupKey: '' })),
      JSON.stringify(notificationBody({ alerts: [] })),
      JSON.stringify(notificationBody({ status: 'pending' })),
      JSON.stringify(notificationBody({ alerts: [{ status: 'firing', labels: { a: 1 }, startsAt: 'x' }] })),
    ];
    for (const body of bad) assert.equal((await post(body, auth)).status, 400, body);
    assert.deepEqual(await jobs(), []);
  });

  it('refuses a body over the limit with 413', async () => {
    const huge = JSON.stringify(notificationBody({ commonAnnotations: { description: 'x'.repeat(ALERT_BODY_LIMIT) } }));
    assert.equal((await post(huge, `Bearer ${TOKEN}`)).status, 413);
    assert.deepEqual(await jobs(), []);
  });

  it('accepts a bearer token or a basic-auth password, and an identical re-send is one job', async () => {
    const body = JSON.stringify(notificationBody());
    const first = await post(body, `Bearer ${TOKEN}`);
    assert.equal(first.status, 200);
    const { jobId } = (await first.json()) as { jobId: string };
    const again = await post(body, basic('alertmanager', TOKEN));
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { jobId: string }).jobId, jobId);
    // Key order does not matter: the same content is the same notification.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(notificationBody()).reverse()));
    assert.equal(((await (await post(reordered, `Bearer ${TOKEN}`)).json()) as { jobId: string }).jobId, jobId);
    assert.deepEqual(await jobs(), [jobId]);
    const job = await queue.getJob(jobId);
    assert.equal(job?.data.notification.groupKey, '{}:{alertname="Always"}');
    assert.equal(job?.data.notification.alerts[0]?.labels.severity, 'critical');
  });

  it('a changed notification of the same group is a new job', async () => {
    const resolved = notificationBody({
      status: 'resolved',
      alerts: [{ ...(notificationBody().alerts as object[])[0], status: 'resolved', endsAt: '2026-11-25T14:40:00Z' }],
    });
    const response = await post(JSON.stringify(resolved), `Bearer ${TOKEN}`);
    assert.equal(response.status, 200);
    assert.equal((await jobs()).length, 2);
    const queueName = new Queue(ALERT_QUEUE, { connection: redis, prefix: redisKeys(prefix).queuePrefix });
    assert.equal((await queueName.getJobCounts('wait')).wait, 2);
    await queueName.close();
  });
});
