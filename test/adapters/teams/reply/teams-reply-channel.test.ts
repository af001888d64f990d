import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalCard } from '../../../../src/chat/approval-card.ts';
import { FileRefusedError } from '../../../../src/chat/errors.ts';
import { approvalAdaptiveCard, approvalSummary } from '../../../../adapters/teams/reply/approval-adaptive-card.ts';
import { markdownToTeams } from '../../../../adapters/teams/reply/markdown-to-teams.ts';
import type { TeamsConversationRef, TeamsConversations, TeamsMessage } from '../../../../adapters/teams/reply/teams-conversations.ts';
import { teamsReplyChannel } from '../../../../adapters/teams/reply/teams-reply-channel.ts';
import type { TeamsReplyTarget } from '../../../../src/queue/chat-job.ts';

const target: TeamsReplyTarget = {
  platform: 'teams',
  teamId: 'tenant-1',
  channel: '19:ops@thread.tacv2',
  threadTs: '1700000000001',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  bot: { id: '28:bot', name: 'ai4k8s' },
  conversationType: 'channel',
};

function recording(): TeamsConversations & {
  calls: { op: string; conversation: TeamsConversationRef; id?: string; message: TeamsMessage }[];
} {
  const calls: { op: string; conversation: TeamsConversationRef; id?: string; message: TeamsMessage }[] = [];
  return {
    calls,
    send: (conversation, message) => {
      calls.push({ op: 'send', conversation, message });
      return Promise.resolve(`id-${calls.length}`);
    },
    update: (conversation, id, message) => {
      calls.push({ op: 'update', conversation, id, message });
      return Promise.resolve();
    },
  };
}

const card: ApprovalCard = {
  token: 'f'.repeat(32),
  tool: 'deployment_scale',
  argumentsText: '{"namespace":"shop","name":"web","replicas":5}',
  preview: 'DRY RUN (nothing changed): scale deployment shop/web: replicas 2 → 5',
  requesterId: 'aad-alice',
  expiresAt: Date.parse('2026-01-01T10:15:00Z'),
};

describe('teamsReplyChannel', () => {
  it('posts into the reply chain of a channel post and updates messages there', async () => {
    const conversations = recording();
    const channel = teamsReplyChannel({ conversations, target });
    assert.equal(await channel.postInThread('1700000000001', 'hello'), 'id-1');
    await channel.update('id-1', 'hello again');
    await channel.postRoot('a new post');
    assert.deepEqual(
      conversations.calls.map((c) => [c.op, c.conversation.conversationId, c.id, c.message.textFormat]),
      [
        ['send', '19:ops@thread.tacv2;messageid=1700000000001', undefined, 'markdown'],
        ['update', '19:ops@thread.tacv2;messageid=1700000000001', 'id-1', 'markdown'],
        ['send', '19:ops@thread.tacv2', undefined, 'markdown'],
      ],
    );
    assert.deepEqual(conversations.calls[0]?.conversation, {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      conversationId: '19:ops@thread.tacv2;messageid=1700000000001',
      conversationType: 'channel',
      tenantId: 'tenant-1',
      bot: target.bot,
    });
  });

  it('posts into a 1:1 chat as it is (chats have no reply chains)', async () => {
    const conversations = recording();
    const channel = teamsReplyChannel({
      conversations,
      target: { ...target, conversationType: 'personal', channel: 'a:1chat', threadTs: 'a:1chat' },
    });
    await channel.postInThread('a:1chat', 'hi');
    assert.equal(conversations.calls[0]?.conversation.conversationId, 'a:1chat');
  });

  it('sends approval cards as Adaptive Cards and replaces them with the outcome', async () => {
    const conversations = recording();
    const channel = teamsReplyChannel({ conversations, target });
    await channel.postApproval('1700000000001', card);
    await channel.updateApproval('id-1', { ...card, outcome: { status: 'approved', by: 'aad-bob', result: 'APPLIED: replicas 2 → 5' } });
    const [posted, updated] = conversations.calls;
    const pending = JSON.stringify(posted?.message.attachments);
    assert.match(pending, /application\/vnd\.microsoft\.card\.adaptive/);
    assert.match(
      pending,
      /"type":"Action\.Submit","title":"Approve","style":"positive","data":\{"ai4k8sAction":"ai4k8s_approve","token":"f{32}"\}/,
    );
    assert.match(pending, /"title":"Deny".*"ai4k8sAction":"ai4k8s_deny"/);
    assert.match(pending, /replicas 2 → 5/);
    assert.match(pending, /\{\{TIME\(2026-01-01T10:15:00Z\)\}\}/);
    const decided = JSON.stringify(updated?.message.attachments);
    assert.equal(updated?.id, 'id-1');
    assert.doesNotMatch(decided, /Action\.Submit/);
    assert.match(decided, /✅ Approved by aad-bob\./);
    assert.match(decided, /APPLIED: replicas 2 → 5/);
  });

  it('posts graphs as inline images and refuses other files for good (the answer then goes as text)', async () => {
    const conversations = recording();
    const channel = teamsReplyChannel({ conversations, target });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    await channel.uploadFile?.('1700000000001', { filename: 'cpu.png', title: 'CPU of checkout', mimeType: 'image/png', data: png });
    assert.deepEqual(conversations.calls[0]?.message.attachments, [
      { contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: 'cpu.png' },
    ]);
    assert.equal(conversations.calls[0]?.conversation.conversationId, '19:ops@thread.tacv2;messageid=1700000000001');
    await assert.rejects(
      channel.uploadFile?.('1700000000001', {
        filename: 'answer.md',
        title: 'Full answer',
        mimeType: 'text/markdown',
        data: Buffer.from('# a'),
      }) ?? Promise.resolve(),
      FileRefusedError,
    );
    assert.equal(conversations.calls.length, 1);
  });

  it('names the decider by display name on the card when the click carried one, else by id', () => {
    const named = JSON.stringify(
      approvalAdaptiveCard({ ...card, outcome: { status: 'denied', by: 'aad-bob', byName: 'Bob Approver' } }).content,
    );
    assert.match(named, /🚫 Denied by Bob Approver\./);
    assert.doesNotMatch(named, /aad-bob/);
    assert.match(
      approvalSummary({ ...card, outcome: { status: 'approved', by: 'aad-bob', byName: 'Bob Approver' } }),
      /✅ Approved by Bob Approver\.$/,
    );
    assert.match(
      JSON.stringify(approvalAdaptiveCard({ ...card, outcome: { status: 'approved', by: 'aad-bob' } }).content),
      /Approved by aad-bob\./,
    );
  });

  it('clips a huge preview so the card stays under the Teams message size', () => {
    const { content } = approvalAdaptiveCard({ ...card, preview: 'x'.repeat(50_000) });
    assert.ok(JSON.stringify(content).length < 10_000);
  });
});

describe('markdownToTeams', () => {
  it('turns tables into aligned code blocks and keeps the Markdown Teams renders', () => {
    const out = markdownToTeams(
      ['## Pods', '', '| pod | restarts |', '|:--|--:|', '| **checkout** | 7 |', '| cart | 12 |', '', 'Done: *all* `fine`.'].join('\n'),
    );
    assert.equal(
      out,
      [
        '## Pods',
        '',
        '```',
        'pod       restarts',
        '--------  --------',
        'checkout         7',
        'cart            12',
        '```',
        '',
        'Done: *all* `fine`.',
      ].join('\n'),
    );
  });

  it('leaves code blocks alone, closes an unclosed one, bolds deep headings and unwraps Slack-style mentions', () => {
    assert.equal(markdownToTeams('```\n| a | b |\n|---|---|\n```'), '```\n| a | b |\n|---|---|\n```');
    assert.equal(markdownToTeams('```yaml\nkind: Pod'), '```yaml\nkind: Pod\n```');
    assert.equal(markdownToTeams('#### Details'), '**Details**');
    assert.equal(markdownToTeams('🚫 <@aad-bob> denied it'), '🚫 aad-bob denied it');
  });
});
