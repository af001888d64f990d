import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { compactHistory } from '../../src/memory/compact-history.ts';
import { estimateHistoryTokens } from '../../src/memory/estimate-history-tokens.ts';
import { settleTurn } from '../../src/memory/settle-turn.ts';
import { checkMessagesRequest } from '../../dev/fakes/anthropic-request-checks.ts';

type Message = Anthropic.MessageParam;

/** One answered question: a tool call with a large result, then the answer. */
function turn(n: number, resultChars: number): Message[] {
  const id = `toolu_01turn${n}`;
  return [
    { role: 'user', content: `question ${n}` },
    { role: 'assistant', content: [{ type: 'tool_use', id, name: 'pod_logs', input: { namespace: 'shop', name: `pod-${n}` } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: `log line ${n} `.repeat(resultChars / 12) }] },
    { role: 'assistant', content: [{ type: 'text', text: `answer ${n}` }] },
  ];
}

const valid = (messages: Message[]) =>
  checkMessagesRequest(
    {
      model: 'm',
      max_tokens: 10,
      tools: [{ name: 'pod_logs', input_schema: { type: 'object' } }],
      messages: [...messages, { role: 'user', content: 'next question' }],
    },
    { requireTools: false },
  );

describe('compactHistory', () => {
  it('leaves a history under budget untouched', () => {
    const history = [...turn(1, 1_000), ...turn(2, 1_000)];
    assert.deepEqual(compactHistory({ messages: history, tokenBudget: 30_000 }), history);
  });

  it('summarises older tool results, keeps the last turns intact and the pairing valid', () => {
    const history = [1, 2, 3, 4, 5].flatMap((n) => turn(n, 8_000));
    assert.ok(estimateHistoryTokens(history) > 6_000);
    const compacted = compactHistory({ messages: history, tokenBudget: 6_000 });
    assert.ok(estimateHistoryTokens(compacted) <= 6_000, `${estimateHistoryTokens(compacted)} tokens`);
    assert.equal(compacted.length, history.length, 'no turn dropped: summarising results was enough');
    assert.deepEqual(compacted.slice(-8), history.slice(-8), 'the last two turns are word for word');
    const first = compacted[2]?.content as Anthropic.ToolResultBlockParam[];
    assert.equal(first[0]?.tool_use_id, 'toolu_01turn1');
    assert.match(
      first[0]?.content as string,
      /^\[summary of an earlier tool result: pod_logs \{"namespace":"shop","name":"pod-1"\}; 1 line, shortened\]\nlog line 1 log line 1/,
    );
    assert.ok(JSON.stringify(compacted).includes('answer 1'), 'answers stay');
    assert.equal(valid(compacted), undefined);
  });

  it('drops the oldest turns whole when omitting results is not enough, still starting with a question', () => {
    const history = [1, 2, 3, 4, 5].flatMap((n) => turn(n, 8_000));
    const compacted = compactHistory({ messages: history, tokenBudget: 2_500 });
    assert.ok(estimateHistoryTokens(compacted) <= 2_500, `${estimateHistoryTokens(compacted)} tokens`);
    assert.deepEqual(compacted[0], { role: 'user', content: compacted[0]?.content });
    assert.equal(typeof compacted[0]?.content, 'string');
    assert.ok(JSON.stringify(compacted).includes('answer 5'));
    assert.equal(valid(compacted), undefined);
  });
});

describe('settleTurn', () => {
  it('drops a tool_use that never got its result (a turn cut short at the step limit)', () => {
    const cut: Message[] = [
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'checking' },
          { type: 'tool_use', id: 'toolu_01x', name: 'pods_list', input: {} },
        ],
      },
    ];
    assert.notEqual(valid(cut), undefined, 'the raw turn is not replayable');
    const settled = settleTurn(cut);
    assert.equal(valid(settled), undefined);
    assert.match(JSON.stringify(settled[1]), /stopped before running: pods_list/);
  });
});
