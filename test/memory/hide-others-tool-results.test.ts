import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { OTHERS_RESULT_NOTE, hideOthersToolResults, toolUseIds } from '../../src/memory/hide-others-tool-results.ts';

const history: Anthropic.MessageParam[] = [
  { role: 'user', content: 'what runs in payments?' },
  {
    role: 'assistant',
    content: [
      { type: 'tool_use', id: 'toolu_a', name: 'pods_list', input: { namespace: 'payments' } },
      { type: 'tool_use', id: 'toolu_b', name: 'events_list', input: { namespace: 'payments' } },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 'toolu_a', content: 'pod-a Running' },
      { type: 'tool_result', tool_use_id: 'toolu_b', content: 'forbidden', is_error: true },
    ],
  },
  { role: 'assistant', content: 'Two things.' },
];

describe('hideOthersToolResults', () => {
  it('keeps the reader’s own results and turns anyone else’s, or unknown ones, into the note, ids and order intact', () => {
    const owners = { toolu_a: 'slack:T1:U1', toolu_b: 'slack:T1:U1' };
    assert.deepEqual(hideOthersToolResults({ messages: history, owners, reader: 'slack:T1:U1' }), history);
    const other = hideOthersToolResults({ messages: history, owners: { toolu_a: 'slack:T1:U1' }, reader: 'slack:T1:U2' });
    assert.deepEqual(other[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: OTHERS_RESULT_NOTE },
        { type: 'tool_result', tool_use_id: 'toolu_b', content: OTHERS_RESULT_NOTE },
      ],
    });
    assert.deepEqual([other[0], other[1], other[3]], [history[0], history[1], history[3]]);
  });

  it('treats "nobody named" as an identity of its own, and an owner not recorded as no one’s', () => {
    const owners = { toolu_a: null, toolu_b: null };
    assert.deepEqual(hideOthersToolResults({ messages: history, owners, reader: undefined }), history);
    assert.doesNotMatch(JSON.stringify(hideOthersToolResults({ messages: history, owners, reader: 'slack:T1:U1' })), /pod-a/);
    // An inherited property is not an owner.
    assert.doesNotMatch(JSON.stringify(hideOthersToolResults({ messages: history, owners: {}, reader: 'toString' })), /pod-a/);
  });

  it('lists the tool call ids of a turn', () => {
    assert.deepEqual(toolUseIds(history), ['toolu_a', 'toolu_b']);
  });
});
