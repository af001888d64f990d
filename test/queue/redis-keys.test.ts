import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keySlot as calculateSlot } from '../../dev/support/key-slot.ts';
import { KEY_FAMILIES, QUEUE_NAMES, redisKeys } from '../../src/queue/redis-keys.ts';

/** Every key builder of redisKeys, called with sample arguments. */
function everyKey(prefix: string): string[] {
  const keys = redisKeys(prefix);
  return Object.entries(keys)
    .filter(([name]) => name !== 'tag' && name !== 'queuePrefix')
    .map(([, build]) => (typeof build === 'string' ? build : build('slack:T1:C1:1.2', '2026-12-03')));
}

describe('redisKeys: one hash tag for every key family', () => {
  it("starts every key with {prefix}, so all of them (and BullMQ's) hash to one cluster slot", () => {
    const keys = everyKey('ai4k8s');
    const slot = calculateSlot('{ai4k8s}:chat:wait');
    for (const key of keys) {
      assert.ok(key.startsWith('{ai4k8s}:'), key);
      assert.equal(calculateSlot(key), slot, key);
    }
    assert.equal(redisKeys('ai4k8s').queuePrefix, '{ai4k8s}');
  });

  it("never puts a key of ours inside BullMQ's key space ({prefix}:<queue>:…)", () => {
    for (const family of KEY_FAMILIES) assert.ok(!(QUEUE_NAMES as readonly string[]).includes(family), family);
    const families = new Set(everyKey('p').map((key) => key.split(':')[1]));
    assert.deepEqual([...families].sort(), [...KEY_FAMILIES].sort(), 'KEY_FAMILIES lists every family redisKeys builds');
    for (const family of families) assert.ok(!(QUEUE_NAMES as readonly string[]).includes(family ?? ''), `${family} is a queue name`);
  });
});

describe('keySlot (the test helper) agrees with Redis', () => {
  it('matches known CLUSTER KEYSLOT answers', () => {
    // From the Redis Cluster specification: "123456789" → 12739; a tag hashes only its content.
    assert.equal(calculateSlot('123456789'), 12739);
    assert.equal(calculateSlot('{123456789}:anything'), 12739);
    assert.equal(calculateSlot('a{}b'), calculateSlot('a{}b'));
  });
});
