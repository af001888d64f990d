import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { untilTurnRemembered } from '../../src/approval/until-turn-remembered.ts';
import { conversationStore, type ConversationStore } from '../../src/memory/conversation-store.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';

describe('untilTurnRemembered (real Redis)', () => {
  let redis: Redis;
  let memory: ConversationStore;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    memory = conversationStore({ redis, prefix: uniqueName('until'), ttlSeconds: 60, tokenBudget: 10_000 });
  });
  after(async () => {
    await redis.quit();
  });

  it('waits for the asking job to append its turn, then returns at once', async () => {
    const started = Date.now();
    const waiting = untilTurnRemembered({ memory, conversationKey: 'k1', jobId: 'asking', timeoutMs: 5_000, pollMs: 20 });
    setTimeout(
      () =>
        void memory.append(
          'k1',
          'asking',
          [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'waiting for approval' },
          ],
          { fetchedAs: undefined },
        ),
      300,
    );
    assert.equal(await waiting, true);
    const waited = Date.now() - started;
    assert.ok(waited >= 280 && waited < 2_000, `${waited} ms`);
    assert.equal(await memory.hasTurn('k1', 'other'), false);
  });

  it('gives up after its bound when the turn never lands', async () => {
    const started = Date.now();
    assert.equal(await untilTurnRemembered({ memory, conversationKey: 'k2', jobId: 'never', timeoutMs: 200, pollMs: 20 }), false);
    assert.ok(Date.now() - started < 1_000);
  });
});
