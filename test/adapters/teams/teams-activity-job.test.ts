import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayName, teamsActivityJob } from '../../../adapters/teams/teams-activity-job.ts';
import { MAX_QUESTION_CHARS, questionNotice } from '../../../src/chat/question-notice.ts';
import { ALICE, BOT, CHANNEL, TENANT, cardSubmitActivity, messageActivity } from '../../../dev/fakes/teams-activities.ts';

const serviceUrl = 'https://smba.trafficmanager.net/emea/';

describe('teamsActivityJob: Teams activities into chat jobs', () => {
  it('strips the bot @mention and answers in the reply chain of a new channel post', () => {
    const activity = messageActivity({ serviceUrl, text: 'which pods are not ready?', id: '1700000000123' });
    const decision = teamsActivityJob(activity);
    assert.equal(decision.kind, 'answer');
    if (decision.kind !== 'answer') return;
    assert.equal(decision.job.text, 'which pods are not ready?');
    assert.deepEqual(decision.job.replyTarget, {
      platform: 'teams',
      teamId: TENANT,
      channel: CHANNEL,
      threadTs: '1700000000123',
      serviceUrl,
      bot: BOT,
      conversationType: 'channel',
      channelId: 'msteams',
    });
    assert.equal(decision.job.conversationKey, `teams:${TENANT}:${CHANNEL}:1700000000123`);
    assert.equal(decision.job.user.id, ALICE.aadObjectId, 'the AAD object id names the user, as approvals and policy do');
    assert.equal(decision.job.deliveryId, `activity:${CHANNEL};messageid=1700000000123:1700000000123`);
  });

  it('keeps a reply in a chain on the same conversation key as the chain root', () => {
    const root = teamsActivityJob(messageActivity({ serviceUrl, text: 'first', id: '1700000000500' }));
    const reply = teamsActivityJob(messageActivity({ serviceUrl, text: 'and then?', rootId: '1700000000500' }));
    assert.ok(root.kind === 'answer' && reply.kind === 'answer');
    assert.equal(reply.job.conversationKey, root.job.conversationKey);
    assert.notEqual(reply.job.deliveryId, root.job.deliveryId);
  });

  it('removes only the bot mention, not other people mentioned in the question', () => {
    const activity = messageActivity({ serviceUrl, text: 'ask <at>Bob</at> about the rollout' });
    activity.entities = [...(activity.entities as unknown[]), { type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:1bob' } }];
    const decision = teamsActivityJob(activity);
    assert.ok(decision.kind === 'answer');
    assert.equal(decision.job.text, 'ask <at>Bob</at> about the rollout');
  });

  it('answers 1:1 chats without a mention; the chat is the conversation', () => {
    const decision = teamsActivityJob(messageActivity({ serviceUrl, text: 'hi there', conversationType: 'personal', chatId: 'a:1chat' }));
    assert.ok(decision.kind === 'answer');
    assert.equal(decision.job.replyTarget.channel, 'a:1chat');
    assert.equal(decision.job.replyTarget.threadTs, 'a:1chat');
  });

  it('treats an unmentioned group or channel message as a follow-up (answered only in a known thread)', () => {
    assert.equal(
      teamsActivityJob(
        messageActivity({ serviceUrl, text: 'lunch?', conversationType: 'groupChat', chatId: '19:g@thread.v2', mention: false }),
      ).kind,
      'followUp',
    );
    assert.equal(
      teamsActivityJob(messageActivity({ serviceUrl, text: 'and now?', rootId: '1700000000500', mention: false })).kind,
      'followUp',
    );
    assert.equal(
      teamsActivityJob(messageActivity({ serviceUrl, text: 'hey', conversationType: 'groupChat', chatId: '19:g@thread.v2' })).kind,
      'answer',
    );
  });

  it('turns an Approve / Deny card submit into an approval click by the clicker', () => {
    const decision = teamsActivityJob(
      cardSubmitActivity({
        serviceUrl,
        conversationId: `${CHANNEL};messageid=1700000000900`,
        action: 'deny',
        token: 'a'.repeat(32),
        digest: 'd'.repeat(43),
        from: ALICE,
        replyToId: '1700000000950',
      }),
    );
    assert.equal(decision.kind, 'approval');
    if (decision.kind !== 'approval') return;
    assert.equal(decision.decision, 'denied');
    assert.equal(decision.digest, 'd'.repeat(43), 'the digest of the action the card showed travels with the click');
    assert.deepEqual(decision.clicker, { platform: 'teams', teamId: TENANT, id: ALICE.aadObjectId, channel: CHANNEL, name: ALICE.name });
    assert.equal(decision.replyTarget.threadTs, '1700000000900');
  });

  it('keeps the clicker display name as one plain line for the card (no Markdown, mentions or card functions)', () => {
    assert.equal(displayName('Bob Approver'), 'Bob Approver');
    assert.equal(displayName('  **Eve**\n<at>x</at> {{DATE(1)}} [l](u) '), 'Eve at x /at DATE(1) l (u)');
    assert.equal(displayName('x'.repeat(100))?.length, 64);
    assert.equal(displayName(' \t*_ '), undefined);
    assert.equal(displayName(undefined), undefined);
    const nameless = teamsActivityJob(
      cardSubmitActivity({
        serviceUrl,
        conversationId: `${CHANNEL};messageid=1`,
        action: 'approve',
        token: 'a'.repeat(32),
        from: { ...ALICE, name: '' },
        replyToId: '2',
      }),
    );
    assert.ok(nameless.kind === 'approval' && !('name' in nameless.clicker));
  });

  it('ignores what is not a question: other activity types, the bot itself', () => {
    const reasons = [
      teamsActivityJob({ ...messageActivity({ serviceUrl, text: 'x' }), type: 'conversationUpdate' }),
      teamsActivityJob({ ...messageActivity({ serviceUrl, text: 'x' }), from: BOT }),
    ].map((d) => d.kind);
    assert.deepEqual(reasons, ['ignore', 'ignore']);
  });

  it('queues an empty mention and an overlong question, so the worker answers usage or a refusal', () => {
    for (const text of ['   ', 'x'.repeat(MAX_QUESTION_CHARS + 1)]) {
      const decision = teamsActivityJob(messageActivity({ serviceUrl, text }));
      assert.equal(decision.kind, 'answer');
      assert.equal(decision.kind === 'answer' ? decision.job.text : undefined, text.trim());
      assert.notEqual(questionNotice(text, 'teams'), undefined);
    }
  });

  it('calls an activity without the fields the bot relies on malformed, naming the field', () => {
    const good = messageActivity({ serviceUrl, text: 'x' });
    for (const [field, value] of [
      ['serviceUrl', 'javascript:alert(1)'],
      ['conversation', { conversationType: 'channel' }],
      ['from', undefined],
      ['id', ''],
    ] as const) {
      const decision = teamsActivityJob({ ...good, [field]: value });
      assert.equal(decision.kind, 'malformed', field);
      assert.match(decision.kind === 'malformed' ? decision.reason : '', new RegExp(field));
    }
    assert.equal(teamsActivityJob(null).kind, 'malformed');
  });
});
