import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { startTlsAclRedis, type RedisTopologyForTest } from '../../dev/services/redis-topologies.ts';
import { answerByName, askBurst, unansweredOrDuplicated } from './burst.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

/**
 * Redis over TLS only (certificates made with openssl for this test) with the default user off and one ACL user
 * allowed only keys under the `{prefix}` tag: the roles connect with REDIS_USERNAME / REDIS_PASSWORD and the CA file,
 * and any key written outside the tag would fail with NOPERM.
 */
describe('on a TLS-only Redis with an ACL user limited to {prefix} keys', { timeout: 60_000 }, () => {
  let topology: RedisTopologyForTest & { port: number; caFile: string };
  let stack: Stack;
  const prefix = uniqueName('tls');
  before(async () => {
    topology = await startTlsAclRedis({ prefix });
    stack = await startStack({ redis: topology, env: { QUEUE_PREFIX: prefix } });
  });
  after(async () => {
    await stack?.stop();
    await topology?.stop();
  });

  it('answers end to end over TLS as the ACL user', async () => {
    assert.equal(stack.prefix, prefix);
    stack.model.script(...Array.from({ length: 3 }, () => answerByName));
    const questions = await askBurst({ gatewayUrl: stack.gatewayUrl, count: 2, label: 'tls' });
    assert.deepEqual(await unansweredOrDuplicated(stack.slack, questions), []);
    const keys = await stack.redis.keys('*');
    assert.ok(keys.length > 0 && keys.every((key) => key.startsWith(`${redisKeys(prefix).tag}:`)), keys.join(' '));
  });

  it('refuses a plaintext connection', async () => {
    const plain = new Redis({
      host: '127.0.0.1',
      port: topology.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
    });
    plain.on('error', () => undefined);
    await assert.rejects(async () => {
      await plain.connect();
      await plain.ping();
    });
    plain.disconnect();
  });
});
