import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { CUT_NOTE, capPinnedTurn, capText } from '../../src/memory/cap-pinned-turn.ts';
import { estimateHistoryTokens } from '../../src/memory/estimate-history-tokens.ts';
import { fenceUntrusted, readUntrustedFences } from '../../src/contract/fence-untrusted.ts';

const alertText = (alerts: number) =>
  `Alertmanager opened this thread.\n${fenceUntrusted({
    source: 'Alertmanager notification',
    text: Array.from({ length: alerts }, (_, i) => `Alert ${i + 1}: firing\n  labels: {alertname="DiskFull", instance="node-${i}"}`).join(
      '\n',
    ),
    nonce: 'abcdef012345',
  })}`;

describe('capText', () => {
  it('leaves a short text alone', () => {
    assert.equal(capText('short', 100), 'short');
  });

  it('cuts inside a fence, closes the fence again and says it was cut, within the limit', () => {
    const text = alertText(200);
    const cut = capText(text, 1_000);
    assert.ok(cut.length <= 1_000, `${cut.length} chars`);
    assert.ok(cut.startsWith('Alertmanager opened this thread.\n'));
    assert.ok(cut.endsWith(`\n${CUT_NOTE}`));
    const closing = '``` end-untrusted-cluster-data-abcdef012345';
    assert.equal(cut.split('\n').filter((l) => l === closing).length, 1, 'the fence is closed exactly once');
    assert.ok(cut.indexOf(closing) < cut.indexOf(CUT_NOTE), 'the note is outside the fence');
    const [body] = readUntrustedFences(cut);
    assert.match(body ?? '', /^Alert 1: firing\n {2}labels: \{alertname="DiskFull", instance="node-0"\}/);
  });

  it('cuts an overlong line instead of dropping everything after the head', () => {
    const cut = capText(`head\n${'x'.repeat(5_000)}`, 300);
    assert.ok(cut.length <= 300, `${cut.length} chars`);
    assert.match(cut, /^head\nx+…\n/);
  });
});

describe('capPinnedTurn', () => {
  const turn = (text: string): Anthropic.MessageParam[] => [
    { role: 'user', content: text },
    { role: 'assistant', content: [{ type: 'text', text: 'Noted.' }] },
  ];

  it('keeps a turn under budget as it is', () => {
    const small = turn(alertText(3));
    assert.deepEqual(capPinnedTurn({ messages: small, tokenBudget: 5_000 }), small);
  });

  it('cuts a huge context turn to its budget, keeping its start and its roles', () => {
    const huge = turn(alertText(2_000));
    assert.ok(estimateHistoryTokens(huge) > 20_000);
    const capped = capPinnedTurn({ messages: huge, tokenBudget: 1_000 });
    assert.ok(estimateHistoryTokens(capped) <= 1_000, `${estimateHistoryTokens(capped)} tokens`);
    assert.deepEqual(
      capped.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.match(
      capped[0]?.content as string,
      /^Alertmanager opened this thread\.\n[\s\S]*instance="node-0"[\s\S]*\(cut short to fit the thread memory\)$/,
    );
    assert.deepEqual(capped[1], huge[1]);
  });
});
