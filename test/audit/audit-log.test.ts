import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { auditLog, auditStreamKey } from '../../src/audit/audit-log.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';

const event = (i: number) => ({
  kind: 'tool_call' as const,
  at: new Date().toISOString(),
  platform: 'slack',
  channel: 'C1',
  user: 'U1',
  jobId: `job-${i}`,
  cluster: 'default',
  tool: 'pods_list',
  arguments: { namespace: 'shop' },
  result: 'ok' as const,
  durationMs: 1,
});

describe('auditLog', () => {
  let redis: Redis;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(() => redis.disconnect());

  it('keeps the stream near AUDIT_MAX_EVENTS: never fewer, at most one stream node more', async () => {
    const prefix = uniqueName('audit');
    const maxEvents = 20;
    const audit = auditLog({ redis, prefix, maxEvents, logger: createLogger({ level: 'silent' }) });
    for (let i = 0; i < 1000; i += 1) await audit.record(event(i));
    const nodeEntries = Number((await redis.config('GET', 'stream-node-max-entries'))[1]);
    const length = await redis.xlen(auditStreamKey(prefix));
    assert.ok(
      length >= maxEvents && length <= maxEvents + nodeEntries,
      `stream holds ${length} events (bound ${maxEvents} + ${nodeEntries})`,
    );
    const newest = await redis.xrevrange(auditStreamKey(prefix), '+', '-', 'COUNT', 1);
    assert.match(JSON.stringify(newest), /job-999/);
    await redis.del(auditStreamKey(prefix));
  });

  it('never throws when Redis refuses the write', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    const audit = auditLog({ redis: broken, prefix: 'x', maxEvents: 10, logger: createLogger({ level: 'silent' }) });
    await audit.record(event(1));
    broken.disconnect();
  });
});
