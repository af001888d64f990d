import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { markdownView } from '../../../../src/chat/answer-view.ts';
import { acceptsUpload, type ReplyChannel } from '../../../../src/chat/reply-channel.ts';
import type { TeamsConversations, TeamsMessage } from '../../../../adapters/teams/reply/teams-conversations.ts';
import { TEAMS_MESSAGE_CHARS, teamsReplyChannel } from '../../../../adapters/teams/reply/teams-reply-channel.ts';
import type { TeamsReplyTarget } from '../../../../src/queue/chat-job.ts';
import { deliverAnswer, deliveryPlan } from '../../../../src/worker/deliver-answer.ts';
import { testPostLedgers, type TestPostLedgers } from '../../../../dev/support/test-post-ledger.ts';

const target: TeamsReplyTarget = {
  platform: 'teams',
  teamId: 'tenant-1',
  channel: '19:ops@thread.tacv2',
  threadTs: '1700000000001',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  bot: { id: '28:bot' },
  conversationType: 'channel',
};

function recording(): TeamsConversations & { sent: TeamsMessage[]; updated: TeamsMessage[] } {
  const sent: TeamsMessage[] = [];
  const updated: TeamsMessage[] = [];
  return {
    sent,
    updated,
    send: (_conversation, message) => {
      sent.push(message);
      return Promise.resolve(`id-${sent.length}`);
    },
    update: (_conversation, _id, message) => {
      updated.push(message);
      return Promise.resolve();
    },
  };
}

/** About 12,000 characters of prose and a 60-line code block: long enough for a file on Slack, three messages or more on Teams. */
const longAnswer = markdownView(
  [
    '## Pods in shop',
    ...Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'checkout restarted after the database password rotated. '.repeat(5)}`),
    '```',
    ...Array.from({ length: 60 }, (_, i) => `line ${i}`),
    '```',
  ].join('\n\n'),
);

describe('long answers in Teams: several messages, no upload tried', () => {
  let ledgers: TestPostLedgers;
  before(async () => {
    ledgers = await testPostLedgers();
  });
  after(async () => {
    await ledgers.close();
  });
  it('the Teams channel says it uploads images only', () => {
    const channel = teamsReplyChannel({ conversations: recording(), target });
    assert.equal(acceptsUpload(channel, 'image/png'), true);
    assert.equal(acceptsUpload(channel, 'IMAGE/PNG; charset=binary'), true);
    assert.equal(acceptsUpload(channel, 'text/markdown'), false);
    assert.equal(acceptsUpload(channel, 'application/pdf'), false);
  });

  it('acceptsUpload: no uploadFile accepts nothing, no uploadTypes accepts anything, exact types match exactly', () => {
    const upload = () => Promise.resolve();
    assert.equal(acceptsUpload({}, 'image/png'), false);
    assert.equal(acceptsUpload({ uploadFile: upload }, 'text/markdown'), true);
    assert.equal(acceptsUpload({ uploadFile: upload, uploadTypes: ['text/markdown'] }, 'text/markdown'), true);
    assert.equal(acceptsUpload({ uploadFile: upload, uploadTypes: ['text/markdown'] }, 'text/markdown-extra'), false);
    assert.equal(acceptsUpload({ uploadFile: upload, uploadTypes: ['image/*'] }, 'imagex/png'), false);
    assert.equal(acceptsUpload({ uploadFile: upload, uploadTypes: [] }, 'image/png'), false);
  });

  it('plans a long Teams answer as text messages only, each within the Teams size, with the whole answer', () => {
    const channel = teamsReplyChannel({ conversations: recording(), target });
    const plan = deliveryPlan({
      channel,
      answer: longAnswer,
      filename: 'answer.md',
      limits: { maxChars: 2_800, maxCodeLines: 30, previewLines: 12 },
    });
    assert.ok(plan.length >= 3, `${plan.length} steps`);
    assert.ok(plan.every((step) => step.kind === 'text'));
    const texts = plan.map((step) => (step.kind === 'text' ? step.text : ''));
    assert.ok(texts.every((t) => t.length <= TEAMS_MESSAGE_CHARS));
    const all = texts.join('\n');
    assert.ok(all.includes('Paragraph 39') && all.includes('line 59'), 'nothing was cut');
    assert.ok(!all.includes('attached file'), 'no note about a file');
  });

  it('delivers it without an upload attempt and without a refusal (so no warning is logged)', async () => {
    const conversations = recording();
    const channel: ReplyChannel = teamsReplyChannel({ conversations, target });
    let tried = 0;
    const watched: ReplyChannel = {
      ...channel,
      uploadFile: async (threadId, file) => ((tried += 1), channel.uploadFile?.(threadId, file)),
    };
    const refusals: unknown[] = [];
    const recorded: number[] = [];
    await deliverAnswer({
      channel: watched,
      threadId: '1700000000001',
      progressId: 'progress-1',
      ledger: await ledgers.attempt(watched),
      answer: longAnswer,
      alreadySent: 0,
      recordSent: (count) => (recorded.push(count), Promise.resolve()),
      onUploadRefused: (error) => refusals.push(error),
      recordUploadSkipped: () => (refusals.push('recorded'), Promise.resolve()),
    });
    assert.equal(tried, 0, 'uploadFile was called');
    assert.deepEqual(refusals, []);
    assert.equal(conversations.updated.length, 1, 'the first part replaces the progress message');
    assert.ok(conversations.sent.length >= 2, 'the rest follows as messages');
    assert.ok([...conversations.updated, ...conversations.sent].every((m) => (m.attachments ?? []).length === 0));
    assert.deepEqual(
      recorded,
      Array.from({ length: 1 + conversations.sent.length }, (_, i) => i + 1),
    );
  });
});
