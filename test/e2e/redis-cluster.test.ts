import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Cluster } from 'ioredis';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import { startRedisCluster, type RedisTopologyForTest } from '../../dev/services/redis-topologies.ts';
import { answerByName, askBurst, unansweredOrDuplicated } from './burst.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

describe('on a 3-master Redis Cluster', { timeout: 60_000 }, () => {
  let topology: RedisTopologyForTest;
  let stack: Stack;
  before(async () => {
    topology = await startRedisCluster();
    stack = await startStack({ redis: topology });
  });
  after(async () => {
    await stack?.stop();
    await topology?.stop();
  });

  it('answers questions end to end, and every key on every node carries the {prefix} hash tag', async () => {
    stack.model.script(...Array.from({ length: 6 }, () => answerByName));
    const questions = await askBurst({ gatewayUrl: stack.gatewayUrl, count: 4, label: 'cluster' });
    assert.deepEqual(await unansweredOrDuplicated(stack.slack, questions), []);
    assert.deepEqual(stack.model.violations, []);

    const tag = redisKeys(stack.prefix).tag;
    const keys = (await Promise.all((stack.redis as Cluster).nodes('master').map((node) => node.keys('*')))).flat();
    const untagged = keys.filter((key) => !key.startsWith(`${tag}:`));
    assert.deepEqual(untagged, [], 'keys written without the hash tag');
    // The families the path wrote: BullMQ's queue, thread memory and marks, reply state, the audit stream.
    for (const family of ['chat', 'conversation', 'thread', 'reply', 'audit']) {
      assert.ok(
        keys.some((key) => key.startsWith(`${tag}:${family}:`) || key === `${tag}:${family}`),
        `no ${family} key among ${keys.length}`,
      );
    }
  });
});
