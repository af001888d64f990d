import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Incident } from '../../src/incidents/incident.ts';
import { incidentStore } from '../../src/incidents/incident-store.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const base = (id: string, lastSeenAt = new Date().toISOString()): Incident => ({
  id,
  kind: 'alert',
  threadKey: `slack:T1:C1:${id}`,
  channel: 'slack:T1:C1',
  restricted: false,
  title: 'A',
  labels: {},
  startedAt: lastSeenAt,
  lastSeenAt,
  fixes: [],
});

describe('incident store (real Redis)', () => {
  let redis: Redis;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(() => redis.disconnect());

  it('concurrent changes to one incident all land (compare-and-set on its version)', async () => {
    const prefix = uniqueName('incident-store');
    const store = incidentStore({ redis, prefix, ttlSeconds: 3600 });
    await store.update('i1', () => base('i1'));
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        store.update('i1', (current) => (current === undefined ? undefined : { ...current, fixes: [...current.fixes, `fix ${n}`] })),
      ),
    );
    assert.equal((await store.read('i1'))?.fixes.length, 20);
  });

  it('keeps incidents for the retention: each key expires, and the index drops what is older', async () => {
    const prefix = uniqueName('incident-store');
    const store = incidentStore({ redis, prefix, ttlSeconds: 60 });
    await store.update('old', () => base('old', new Date(Date.now() - 120_000).toISOString()));
    await store.update('new', () => base('new'));
    const ttl = await redis.ttl(redisKeys(prefix).incident('new'));
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
    assert.deepEqual(
      await redis.zrange(redisKeys(prefix).incidents, '0', '-1'),
      ['new'],
      'the index forgets incidents last seen before the retention',
    );
    assert.deepEqual(
      (await store.recent()).map((incident) => incident.id),
      ['new'],
    );
    await redis.del(redisKeys(prefix).incident('new'));
    assert.deepEqual(await store.recent(), [], 'an expired incident left in the index is skipped');
  });
});
