import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import { conversationStore, type ConversationStore } from '../../src/memory/conversation-store.ts';
import { testRedisUrl, uniqueName } from '../support/shared.ts';

const turn = (question: string): Anthropic.MessageParam[] => [
  { role: 'user', content: question },
  { role: 'assistant', content: [{ type: 'text', text: `answer to ${question}` }] },
];

describe('conversationStore (real Redis)', () => {
  let redis: Redis;
  let store: ConversationStore;
  const prefix = uniqueName('memory');
  before(async () => {
    redis = new Redis(await testRedisUrl());
    store = conversationStore({ redis, prefix, ttlSeconds: 60, tokenBudget: 30_000 });
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('appends each job once, in order, with a TTL, and marks the thread', async () => {
    const key = 'slack:T1:C1:1700000000.000100';
    assert.equal(await store.isKnownThread(key), false);
    assert.equal(await store.append(key, 'job-1', turn('one')), true);
    assert.equal(await store.append(key, 'job-1', turn('one')), false, 'a retried job does not append again');
    assert.equal(await store.append(key, 'job-2', turn('two')), true);
    assert.deepEqual(await store.history(key), [...turn('one'), ...turn('two')]);
    assert.equal(await store.isKnownThread(key), true);
    const ttl = await redis.ttl(`${prefix}:conversation:${key}`);
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
  });

  it('keeps both turns of two answers appended at once in the same thread', async () => {
    const key = 'slack:T1:C1:1700000000.000200';
    const results = await Promise.all([store.append(key, 'job-a', turn('a')), store.append(key, 'job-b', turn('b'))]);
    assert.deepEqual(results, [true, true]);
    assert.equal((await store.history(key)).length, 4);
  });
});
