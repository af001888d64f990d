import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { fenceUntrusted, readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { compactHistory } from '../../src/memory/compact-history.ts';
import { estimateHistoryTokens } from '../../src/memory/estimate-history-tokens.ts';
import { summarizeToolResult } from '../../src/memory/summarize-tool-result.ts';
import { checkMessagesRequest } from '../../dev/fakes/anthropic-request-checks.ts';

type Message = Anthropic.MessageParam;

/** A pod's logs as pod_logs returns them: a line about the source, then the lines fenced as cluster data. */
function podLogs(): string {
  const lines = Array.from(
    { length: 400 },
    (_, i) => `2026-11-25T10:${String(i % 60).padStart(2, '0')}:00Z level=info msg="request served" path=/api/orders/${i}`,
  );
  lines[250] = '2026-11-25T10:10:00Z level=error msg="connection refused" db=postgres-primary:5432';
  lines[390] = 'panic: runtime error: invalid memory address or nil pointer dereference';
  return `Logs of pod shop/checkout-7f9 container app (400 lines):\n${fenceUntrusted({ source: 'logs of pod shop/checkout-7f9', text: lines.join('\n') })}`;
}

describe('summarizeToolResult', () => {
  it('keeps the call, the status, the size, the first lines and the noteworthy ones; cluster data stays fenced', () => {
    const text = podLogs();
    const summary = summarizeToolResult({ tool: 'pod_logs', input: { namespace: 'shop', name: 'checkout-7f9' }, text, isError: false });
    assert.ok(summary.length < text.length / 10, `${summary.length} chars`);
    assert.match(
      summary,
      /^\[summary of an earlier tool result: pod_logs \{"namespace":"shop","name":"checkout-7f9"\}; 404 lines, shortened\]/,
    );
    assert.match(summary, /Logs of pod shop\/checkout-7f9 container app \(400 lines\):/);
    const [data, ...more] = readUntrustedFences(summary);
    assert.equal(more.length, 0);
    assert.match(data ?? '', /path=\/api\/orders\/0\n/, 'the first lines are kept');
    assert.match(data ?? '', /level=error msg="connection refused" db=postgres-primary:5432/);
    assert.match(data ?? '', /panic: runtime error/);
    assert.match(data ?? '', /\(392 more lines left out\)/);
    assert.doesNotMatch(data ?? '', /orders\/200/, 'an unremarkable middle line was kept');
    // Nothing from the cluster outside the (new) fence.
    assert.doesNotMatch(
      summary.replace(/`{3,}untrusted-cluster-data-[0-9a-f]{12}\n[\s\S]*?end-untrusted-cluster-data-[0-9a-f]{12}/, ''),
      /connection refused|panic/,
    );
  });

  it('says when the call failed', () => {
    const summary = summarizeToolResult({
      tool: 'pods_list',
      input: { namespace: 'nope' },
      text: 'namespaces "nope" not found',
      isError: true,
    });
    assert.match(summary, /pods_list \{"namespace":"nope"\}; ERROR; 1 line, shortened\]\nnamespaces "nope" not found/);
  });
});

describe('compactHistory with summaries', () => {
  const turn = (n: number): Message[] => {
    const id = `toolu_01logs${n}`;
    return [
      { role: 'user', content: `why is checkout failing? (${n})` },
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'pod_logs', input: { namespace: 'shop', name: `checkout-${n}` } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: podLogs(), ...(n === 1 ? { is_error: true } : {}) }] },
      { role: 'assistant', content: [{ type: 'text', text: `answer ${n}: the database refused connections` }] },
    ];
  };

  it('a follow-up still sees the key finding of an old result, with tool_use/tool_result pairs and is_error intact', () => {
    const history = [1, 2, 3, 4].flatMap(turn);
    const budget = Math.ceil(estimateHistoryTokens(history.slice(-8)) * 1.2);
    const compacted = compactHistory({ messages: history, tokenBudget: budget });
    assert.equal(compacted.length, history.length, 'a turn was dropped although summaries fit');
    assert.ok(estimateHistoryTokens(compacted) <= budget);
    const old = (compacted[2]?.content as Anthropic.ToolResultBlockParam[])[0];
    assert.equal(old?.tool_use_id, 'toolu_01logs1');
    assert.equal(old?.is_error, true);
    assert.match(old?.content as string, /connection refused/);
    assert.match(old?.content as string, /^\[summary of an earlier tool result: pod_logs/);
    assert.deepEqual(compacted.slice(-8), history.slice(-8));
    const request = {
      model: 'm',
      max_tokens: 10,
      tools: [{ name: 'pod_logs', input_schema: { type: 'object' as const } }],
      messages: [...compacted, { role: 'user' as const, content: 'and now?' }],
    };
    assert.equal(checkMessagesRequest(request, { requireTools: false }), undefined);
  });

  it('falls back to one-line notes when summaries are still too big, before dropping turns', () => {
    const history = [1, 2, 3, 4].flatMap(turn);
    const budget = Math.ceil(estimateHistoryTokens(history.slice(-4)) + 400);
    const compacted = compactHistory({ messages: history, tokenBudget: budget });
    assert.ok(estimateHistoryTokens(compacted) <= budget, `${estimateHistoryTokens(compacted)} > ${budget}`);
    assert.equal(compacted.length, history.length);
    assert.match(
      JSON.stringify(compacted[2]),
      /\[earlier tool result omitted: pod_logs \{\\"namespace\\":\\"shop\\",\\"name\\":\\"checkout-1\\"\}\]/,
    );
  });
});
