import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatEventJob } from '../../../adapters/slack/chat-event-job.ts';
import { isSlackPayloadObject } from '../../../adapters/slack/slack-payload-shape.ts';
import { helpText } from '../../../src/chat/help-text.ts';
import { MAX_QUESTION_CHARS, questionNotice } from '../../../src/chat/question-notice.ts';

const BOT = 'U0FAKEBOT1';
const mention = (text: string) => ({ type: 'app_mention', user: 'U0ALICE001', text, ts: '1700000500.000001', channel: 'C0SHOP0001' });

describe('empty and over-long questions: enqueued, answered by the worker with usage or a refusal', () => {
  it('enqueues an empty mention (text "") and an over-long one (whole text) instead of ignoring them', () => {
    const empty = chatEventJob({ event: mention(`<@${BOT}>  `), teamId: 'T0AI4K8S', botUserId: BOT });
    assert.equal(empty.kind, 'answer');
    assert.equal(empty.kind === 'answer' ? empty.job.text : undefined, '');
    const long = chatEventJob({ event: mention(`<@${BOT}> ${'x'.repeat(MAX_QUESTION_CHARS + 1)}`), teamId: 'T0AI4K8S', botUserId: BOT });
    assert.equal(long.kind === 'answer' ? long.job.text.length : 0, MAX_QUESTION_CHARS + 1);
  });

  it('answers usage for no question or "help", a refusal past the platform limit, nothing for a real question', () => {
    // Help is per surface (test/chat/help-text.test.ts): Teams no longer gets Slack's.
    assert.equal(questionNotice('', 'slack'), helpText('slack', { ai: true }));
    assert.equal(questionNotice('  Help ', 'teams'), helpText('teams', { ai: true }));
    assert.equal(questionNotice('help', 'console', { ai: false }), helpText('console', { ai: false }));
    assert.match(questionNotice('x'.repeat(MAX_QUESTION_CHARS + 1), 'slack') ?? '', /2001 characters long; the limit is 2000/);
    assert.equal(questionNotice('x'.repeat(MAX_QUESTION_CHARS + 1), 'console'), undefined, 'the console takes up to 4,000');
    assert.match(questionNotice('x'.repeat(4_001), 'console') ?? '', /the limit is 4000/);
    assert.equal(questionNotice('why is checkout crashing?', 'slack'), undefined);
  });

  it('tells object payloads from bodies bolt cannot route', () => {
    assert.equal(isSlackPayloadObject('{"type":"event_callback"}', 'application/json'), true);
    for (const body of ['null', '[]', '"text"', '42', '{"type":'])
      assert.equal(isSlackPayloadObject(body, 'application/json'), false, body);
    assert.equal(isSlackPayloadObject('command=%2Fk8s&text=hi', 'application/x-www-form-urlencoded'), true);
    assert.equal(isSlackPayloadObject('payload=%7B%22type%22%3A%22block_actions%22%7D', 'application/x-www-form-urlencoded'), true);
    assert.equal(isSlackPayloadObject('payload=null', 'application/x-www-form-urlencoded'), false);
  });
});
