import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import { conversationStore, type ConversationStore } from '../../src/memory/conversation-store.ts';
import { estimateHistoryTokens } from '../../src/memory/estimate-history-tokens.ts';
import { checkMessagesRequest } from '../../dev/fakes/anthropic-request-checks.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

/** A job that named no chat user (the MCP server's own identity), and a reader who is nobody in particular either. */
const AS_NOBODY = { fetchedAs: undefined };
const NOBODY = { reader: undefined };

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
    const keys = await redis.keys(`${redisKeys(prefix).tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('appends each job once, in order, with a TTL, and marks the thread', async () => {
    const key = 'slack:T1:C1:1700000000.000100';
    assert.equal(await store.isKnownThread(key), false);
    assert.equal(await store.append(key, 'job-1', turn('one'), AS_NOBODY), true);
    assert.equal(await store.append(key, 'job-1', turn('one'), AS_NOBODY), false, 'a retried job does not append again');
    assert.equal(await store.append(key, 'job-2', turn('two'), AS_NOBODY), true);
    assert.deepEqual(await store.history(key, NOBODY), [...turn('one'), ...turn('two')]);
    assert.equal(await store.isKnownThread(key), true);
    const ttl = await redis.ttl(redisKeys(prefix).conversation(key));
    assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);
  });

  it('keeps both turns of two answers appended at once in the same thread', async () => {
    const key = 'slack:T1:C1:1700000000.000200';
    const results = await Promise.all([store.append(key, 'job-a', turn('a'), AS_NOBODY), store.append(key, 'job-b', turn('b'), AS_NOBODY)]);
    assert.deepEqual(results, [true, true]);
    assert.equal((await store.history(key, NOBODY)).length, 4);
  });

  describe('a pinned context turn (the alert of an alert thread)', () => {
    const alert = (status: string): Anthropic.MessageParam[] => [
      { role: 'user', content: `Alertmanager: DiskFull is ${status}; labels {alertname="DiskFull", instance="node-1", namespace="shop"}` },
      { role: 'assistant', content: 'Noted; I will use this alert as context.' },
    ];
    /** An answered question with a tool call and a large result. */
    const toolTurn = (n: number): Anthropic.MessageParam[] => [
      { role: 'user', content: `question ${n}` },
      { role: 'assistant', content: [{ type: 'tool_use', id: `toolu_01pin${n}`, name: 'pod_logs', input: { name: `pod-${n}` } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_01pin${n}`, content: `log line ${n} `.repeat(300) }] },
      { role: 'assistant', content: [{ type: 'text', text: `answer ${n} ${'because '.repeat(100)}` }] },
    ];
    const valid = (history: Anthropic.MessageParam[]) =>
      checkMessagesRequest(
        {
          model: 'm',
          max_tokens: 10,
          tools: [{ name: 'pod_logs', input_schema: { type: 'object' } }],
          messages: [...history, { role: 'user', content: 'next question' }],
        },
        { requireTools: false },
      );
    const budget = 2_000;
    let small: ConversationStore;
    before(() => {
      small = conversationStore({ redis, prefix, ttlSeconds: 60, tokenBudget: budget });
    });

    it('stays first in a long thread over budget, while the oldest turns are dropped and pairs stay valid', async () => {
      const key = 'slack:T1:C1:1700000000.000300';
      assert.equal(await small.pin(key, 'alert:1', alert('firing')), true);
      for (let n = 1; n <= 12; n += 1) assert.equal(await small.append(key, `job-${n}`, toolTurn(n), AS_NOBODY), true);
      const history = await small.history(key, NOBODY);
      assert.deepEqual(history.slice(0, 2), alert('firing'), 'the alert leads the history');
      assert.ok(estimateHistoryTokens(history) <= budget, `${estimateHistoryTokens(history)} tokens over ${budget}`);
      const seen = JSON.stringify(history);
      assert.ok(!seen.includes('question 1"'), 'the oldest turns were dropped');
      assert.ok(seen.includes('answer 12'), 'the newest turn stays');
      assert.equal(valid(history), undefined);
      assert.ok(await small.hasTurn(key, 'alert:1'));
    });

    it('is replaced, not stacked, when the alert changes; a retried pin changes nothing', async () => {
      const key = 'slack:T1:C1:1700000000.000400';
      await small.pin(key, 'alert:1', alert('firing'));
      await small.append(key, 'job-1', toolTurn(1), AS_NOBODY);
      assert.equal(await small.pin(key, 'alert:2', alert('resolved')), true);
      assert.equal(await small.pin(key, 'alert:1', alert('firing')), false, 'a retried older job does not pin again');
      const history = await small.history(key, NOBODY);
      assert.deepEqual(history.slice(0, 2), alert('resolved'));
      assert.equal(JSON.stringify(history).match(/Alertmanager: DiskFull/g)?.length, 1, 'exactly one alert context');
      assert.deepEqual(history.slice(2), toolTurn(1), 'the turns stay after the new context');
      assert.equal(valid(history), undefined);
    });

    it('a huge context takes at most half the budget; the turns keep the rest', async () => {
      const key = 'slack:T1:C1:1700000000.000500';
      const huge: Anthropic.MessageParam[] = [
        { role: 'user', content: `Alertmanager: BigGroup\n${'labels {alertname="BigGroup", instance="node-x"}\n'.repeat(2_000)}` },
        { role: 'assistant', content: 'Noted.' },
      ];
      await small.pin(key, 'alert:1', huge);
      await small.append(key, 'job-1', turn('one'), AS_NOBODY);
      const history = await small.history(key, NOBODY);
      const pinned = history.slice(0, 2);
      assert.ok(estimateHistoryTokens(pinned) <= budget / 2, `${estimateHistoryTokens(pinned)} pinned tokens`);
      assert.match(pinned[0]?.content as string, /^Alertmanager: BigGroup\n[\s\S]*cut short to fit the thread memory\)$/);
      assert.deepEqual(history.slice(2), turn('one'));
      assert.ok(estimateHistoryTokens(history) <= budget, `${estimateHistoryTokens(history)} tokens`);
      assert.equal(valid(history), undefined);
    });

    const findings = (what: string): Anthropic.MessageParam[] => [
      { role: 'user', content: `Earlier findings of the investigation: ${what}` },
      { role: 'assistant', content: 'Noted; earlier findings.' },
    ];

    it('keeps the alert and the investigation as parts, each replaced on its own, both first in a long thread', async () => {
      const key = 'slack:T1:C1:1700000000.000600';
      await small.pin(key, 'alert:1', alert('firing'));
      await small.append(key, 'job-1', toolTurn(1), AS_NOBODY);
      assert.equal(await small.pin(key, 'investigation:job-1', findings('disk fills with logs'), 'investigation'), true);
      assert.equal(
        await small.pin(key, 'investigation:job-1', findings('something else'), 'investigation'),
        false,
        'a retried investigation pins nothing',
      );
      assert.deepEqual((await small.history(key, NOBODY)).slice(0, 4), [...alert('firing'), ...findings('disk fills with logs')]);
      // The alert changes: its part is replaced, the findings stay.
      assert.equal(await small.pin(key, 'alert:2', alert('resolved')), true);
      assert.deepEqual((await small.history(key, NOBODY)).slice(0, 4), [...alert('resolved'), ...findings('disk fills with logs')]);
      // A later investigation replaces the earlier findings; the alert stays.
      assert.equal(await small.pin(key, 'investigation:job-9', findings('log rotation is broken'), 'investigation'), true);
      for (let n = 2; n <= 12; n += 1) await small.append(key, `job-${n}`, toolTurn(n), AS_NOBODY);
      const history = await small.history(key, NOBODY);
      assert.deepEqual(history.slice(0, 4), [...alert('resolved'), ...findings('log rotation is broken')]);
      const seen = JSON.stringify(history);
      assert.equal(seen.match(/Earlier findings/g)?.length, 1, 'one set of findings, never a stack');
      assert.equal(seen.match(/Alertmanager: DiskFull/g)?.length, 1, 'one alert context');
      assert.ok(!seen.includes('question 1"'), 'compaction dropped the oldest turns');
      assert.ok(seen.includes('answer 12'));
      assert.ok(estimateHistoryTokens(history) <= budget, `${estimateHistoryTokens(history)} tokens over ${budget}`);
      assert.equal(valid(history), undefined);
    });

    it('an investigation pinned before any alert still comes after it once the alert is pinned', async () => {
      const key = 'slack:T1:C1:1700000000.000700';
      await small.pin(key, 'investigation:job-1', findings('first'), 'investigation');
      assert.deepEqual(await small.history(key, NOBODY), findings('first'));
      await small.pin(key, 'alert:1', alert('firing'));
      assert.deepEqual(await small.history(key, NOBODY), [...alert('firing'), ...findings('first')]);
    });

    it('caps the alert and the findings together at half the budget, each cut short and still valid', async () => {
      const key = 'slack:T1:C1:1700000000.000800';
      const bigAlert: Anthropic.MessageParam[] = [
        { role: 'user', content: `Alertmanager: BigGroup\n${'labels {alertname="BigGroup", instance="node-x"}\n'.repeat(400)}` },
        { role: 'assistant', content: 'Noted.' },
      ];
      await small.pin(key, 'alert:1', bigAlert);
      await small.pin(key, 'investigation:job-1', findings(`the cause\n${'a finding line\n'.repeat(400)}`), 'investigation');
      await small.append(key, 'job-1', turn('one'), AS_NOBODY);
      const history = await small.history(key, NOBODY);
      const pinned = history.slice(0, 4);
      assert.ok(estimateHistoryTokens(pinned) <= budget / 2, `${estimateHistoryTokens(pinned)} pinned tokens`);
      assert.match(pinned[0]?.content as string, /^Alertmanager: BigGroup\n[\s\S]*cut short to fit the thread memory\)$/);
      assert.match(
        pinned[2]?.content as string,
        /^Earlier findings of the investigation: the cause\n[\s\S]*cut short to fit the thread memory\)$/,
      );
      assert.deepEqual(history.slice(4), turn('one'));
      assert.ok(estimateHistoryTokens(history) <= budget, `${estimateHistoryTokens(history)} tokens`);
      assert.equal(valid(history), undefined);
    });

    it('reads a pinned alert stored as a plain list (before named parts) as the alert part', async () => {
      const key = 'slack:T1:C1:1700000000.000900';
      await redis.hset(
        redisKeys(prefix).conversation(key),
        'version',
        '1',
        'jobIds',
        '[]',
        'pinned',
        JSON.stringify(alert('firing')),
        'messages',
        '[]',
      );
      assert.deepEqual(await small.history(key, NOBODY), alert('firing'));
      await small.pin(key, 'investigation:job-1', findings('kept apart'), 'investigation');
      assert.deepEqual(await small.history(key, NOBODY), [...alert('firing'), ...findings('kept apart')]);
    });

    it('refuses a context turn that would break the history (tool calls, or not user then assistant)', async () => {
      await assert.rejects(
        small.pin('k-bad', 'a', [
          { role: 'assistant', content: 'hi' },
          { role: 'user', content: 'x' },
        ]),
        TypeError,
      );
      await assert.rejects(small.pin('k-bad', 'b', toolTurn(1)), TypeError);
      await assert.rejects(small.pin('k-bad', 'c', [{ role: 'user', content: 'only a question' }]), TypeError);
    });
  });

  describe('tool results belong to the identity they were fetched as', () => {
    const ALICE = 'slack:T1:U0ALICE01';
    const BOB = 'slack:T1:U0BOB0001';
    const MARKER = 'secret-payments-pod-7f9c';
    /** Alice's question, a tool call and its result holding what only her Kubernetes identity could read. */
    const aliceTurn = (n: number, lines = 1): Anthropic.MessageParam[] => [
      { role: 'user', content: `which pods run in payments? (${n})` },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: `toolu_01who${n}`, name: 'pods_list', input: { namespace: 'payments' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: `toolu_01who${n}`,
            content: [
              `NAME STATUS`,
              `${MARKER}-${n} Running`,
              ...Array.from({ length: lines }, (_, k) => `filler-${k} Running ${'x'.repeat(60)}`),
            ].join('\n'),
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: `There are ${lines + 1} pods (${n}).` }] },
    ];
    const valid = (history: Anthropic.MessageParam[]) =>
      checkMessagesRequest(
        {
          model: 'm',
          max_tokens: 10,
          tools: [{ name: 'pods_list', input_schema: { type: 'object' } }],
          messages: [...history, { role: 'user', content: 'next question' }],
        },
        { requireTools: false },
      );

    it('shows Alice her own results, and Bob a note in their place with the pairing intact; the pinned alert is shared', async () => {
      const key = 'slack:T1:C1:1700000000.001000';
      await store.pin(key, 'alert:1', [
        { role: 'user', content: 'Alertmanager: PodCrashLooping in payments' },
        { role: 'assistant', content: 'Noted.' },
      ]);
      await store.append(key, 'job-a', aliceTurn(1), { fetchedAs: ALICE });
      const forAlice = await store.history(key, { reader: ALICE });
      assert.ok(JSON.stringify(forAlice).includes(MARKER), 'Alice lost her own result');
      assert.deepEqual(forAlice.slice(2), aliceTurn(1));

      const forBob = await store.history(key, { reader: BOB });
      assert.ok(!JSON.stringify(forBob).includes(MARKER), `Bob got Alice's tool result: ${JSON.stringify(forBob)}`);
      assert.match(JSON.stringify(forBob[0]), /PodCrashLooping/, 'the pinned alert is shared');
      const result = (forBob[4]?.content as Anthropic.ToolResultBlockParam[])[0];
      assert.equal(result?.tool_use_id, 'toolu_01who1');
      assert.match(JSON.stringify(result?.content), /fetched as another user; call the tool again if you need it/);
      assert.deepEqual(forBob[5], aliceTurn(1)[3], "Alice's answer (posted in the thread anyway) stays");
      assert.equal(valid(forBob), undefined);
      // Nobody named (no X-Ai4k8s-User) is not Alice either.
      assert.ok(!JSON.stringify(await store.history(key, NOBODY)).includes(MARKER));
    });

    it("keeps each turn's owner: Bob sees his own results next to Alice's notes; results fetched as nobody are shared by nobody only", async () => {
      const key = 'slack:T1:C1:1700000000.001100';
      await store.append(key, 'job-a', aliceTurn(1), { fetchedAs: ALICE });
      await store.append(key, 'job-b', aliceTurn(2), { fetchedAs: BOB });
      await store.append(key, 'job-c', aliceTurn(3), AS_NOBODY);
      const text = async (reader: string | undefined) => JSON.stringify(await store.history(key, { reader }));
      const [alice, bob, nobody] = await Promise.all([text(ALICE), text(BOB), text(undefined)]);
      assert.deepEqual(
        [1, 2, 3].map((n) => alice.includes(`${MARKER}-${n}`)),
        [true, false, false],
      );
      assert.deepEqual(
        [1, 2, 3].map((n) => bob.includes(`${MARKER}-${n}`)),
        [false, true, false],
      );
      assert.deepEqual(
        [1, 2, 3].map((n) => nobody.includes(`${MARKER}-${n}`)),
        [false, false, true],
      );
    });

    it('still hides them once compaction has summarised them, and forgets owners of dropped turns', async () => {
      const key = 'slack:T1:C1:1700000000.001200';
      const small = conversationStore({ redis, prefix, ttlSeconds: 60, tokenBudget: 1_500 });
      for (let n = 1; n <= 6; n += 1) await small.append(key, `job-${n}`, aliceTurn(n, 20), { fetchedAs: ALICE });
      const forAlice = JSON.stringify(await small.history(key, { reader: ALICE }));
      assert.match(forAlice, /\[summary of an earlier tool result:/, 'nothing was summarised: the test proves nothing');
      assert.ok(forAlice.includes(`${MARKER}-`), 'the summaries keep the first lines');
      const forBob = await small.history(key, { reader: BOB });
      assert.ok(!JSON.stringify(forBob).includes(MARKER), `Bob got a summary of Alice's result: ${JSON.stringify(forBob)}`);
      assert.equal(valid(forBob), undefined);
      const owners = JSON.parse((await redis.hget(redisKeys(prefix).conversation(key), 'fetchedAs')) ?? '{}') as Record<string, unknown>;
      const kept = JSON.stringify(await small.history(key, { reader: ALICE })).match(/toolu_01who\d/g) ?? [];
      assert.deepEqual(Object.keys(owners).sort(), [...new Set(kept)].sort(), 'owners of dropped turns are forgotten');
    });

    it('hides results of a history stored before owners were recorded from everyone', async () => {
      const key = 'slack:T1:C1:1700000000.001300';
      await redis.hset(
        redisKeys(prefix).conversation(key),
        'version',
        '1',
        'jobIds',
        '[]',
        'pinned',
        '{}',
        'messages',
        JSON.stringify(aliceTurn(1)),
      );
      for (const reader of [ALICE, undefined])
        assert.ok(!JSON.stringify(await store.history(key, { reader })).includes(MARKER), String(reader));
    });
  });
});
