import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertChangeText, alertRootText } from '../../src/alerts/alert-text.ts';
import { markdownView } from '../../src/chat/answer-view.ts';
import type { ApprovalCard } from '../../src/chat/approval-card.ts';
import { formatWithMention } from '../../src/chat/format-with-mention.ts';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { replyChannelFor } from '../../src/chat/reply-channels.ts';
import { createSlackClient } from '../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../adapters/slack/reply/slack-reply-channel.ts';
import type { TeamsConversationRef, TeamsConversations, TeamsMessage } from '../../adapters/teams/reply/teams-conversations.ts';
import { teamsReplyChannel } from '../../adapters/teams/reply/teams-reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import type { TeamsReplyTarget } from '../../src/queue/chat-job.ts';
import { progressText } from '../../src/worker/progress-text.ts';
import { notification, notificationBody } from '../../dev/fakes/notification-fixture.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';

/** Every way text can ping a group or a person, or hide a link's target, on Slack. */
const SLACK_HOSTILE = [
  '<!channel> <!here> <!everyone> <!subteam^S0ONCALL|@oncall> <!subteam^S0SRE>',
  '<@U0ADMIN> <@W0ADMIN|admin> <#C0SECRET|secret-ops>',
  '<https://evil.example|click here> [Grafana dashboard](https://evil.example/login) [https://grafana.corp.example](https://evil.example/x)',
  '@here look',
].join(' ');

/** What must not reach Slack, in any text or block. */
const SLACK_FORBIDDEN = [
  /<!(?:channel|here|everyone|subteam)/,
  /<@[UW]0ADMIN/,
  /<#C0SECRET/,
  /\|click here>/,
  /\|Grafana dashboard>/,
  /\|https:\/\/grafana\.corp\.example>/,
];

/** `@here` as a word notifies nobody without `link_names`; outside code it gets the zero-width space all the same. */
const BARE_BROADCAST = /(?<![\w\u200B])@here\b/;
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '');

const alertWith = (annotation: string) => {
  const base = notificationBody();
  const [alert] = base.alerts as Record<string, unknown>[];
  const annotations = { summary: annotation, description: annotation };
  const labels = { alertname: 'CheckoutDown', severity: 'critical', reason: annotation };
  return notification({ commonLabels: labels, commonAnnotations: annotations, alerts: [{ ...alert, labels, annotations }] });
};

describe('nothing posted to Slack can ping or phish', () => {
  let slack: FakeSlackApi;
  let channel: ReplyChannel;
  before(async () => {
    slack = await startFakeSlackApi();
    const client = createSlackClient({ token: slack.token, slackApiUrl: slack.url, logger: createLogger({ level: 'silent' }) });
    // The reply channel as the worker makes it (redaction wrapper included).
    channel = replyChannelFor(
      { slack: (target) => slackReplyChannel({ client, channel: target.channel }) },
      { platform: 'slack', teamId: 'T1', channel: 'C0PINGS01' },
    );
  });
  after(async () => {
    await slack.stop();
  });

  const card = (outcome?: ApprovalCard['outcome']): ApprovalCard => ({
    token: 'b'.repeat(32),
    tool: 'deployment_scale',
    argumentsText: JSON.stringify({ namespace: 'shop', name: SLACK_HOSTILE, replicas: 0 }),
    preview: `DRY RUN: scale ${SLACK_HOSTILE}`,
    requesterId: 'U0ALICE01',
    expiresAt: Date.now() + 600_000,
    ...(outcome === undefined ? {} : { outcome }),
  });

  it('neutralises every form on every surface, and keeps our own mentions of verified users', async () => {
    const root = await channel.postRoot(`${channel.format(SLACK_HOSTILE)} — asked by <@U0ALICE01>`);
    const progress = await channel.postInThread(root, channel.format(SLACK_HOSTILE));
    await channel.update(
      progress,
      channel.format(
        progressText({ step: 1, running: [{ name: 'pods_list', input: { namespace: 'shop', labelSelector: SLACK_HOSTILE } }], done: [] }),
      ),
    );
    await channel.updateAnswer?.(
      progress,
      markdownView(`# ${SLACK_HOSTILE}\n\n${SLACK_HOSTILE}\n\n| pod | note |\n|---|---|\n| a | ${SLACK_HOSTILE} |\n\n_${SLACK_HOSTILE}_`),
    );
    const cardId = await channel.postApproval(root, card());
    await channel.updateApproval(cardId, card({ status: 'approved', by: 'U0BOB0001', result: SLACK_HOSTILE }));
    await channel.postInThread(
      root,
      formatWithMention(
        channel,
        'U0BOB0001',
        (mention) => `✅ \`deployment_scale\` approved by ${mention} and applied:\n\`\`\`\n${SLACK_HOSTILE}\n\`\`\``,
      ),
    );
    const alertRoot = await channel.postRoot(channel.format(alertRootText(alertWith(SLACK_HOSTILE))));
    await channel.postInThread(
      alertRoot,
      channel.format(alertChangeText({ ...alertWith(SLACK_HOSTILE), groupLabels: { alertname: SLACK_HOSTILE } })),
    );
    // Text no converter saw: the reply channel's last check still turns group pings into words.
    await channel.postInThread(root, 'raw <!channel> and <!subteam^S0SRE|@sre>');

    const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
    assert.equal(posted.length, 10);
    for (const call of posted) {
      const body = JSON.stringify({ text: call.body.text, blocks: call.body.blocks });
      for (const forbidden of SLACK_FORBIDDEN) assert.doesNotMatch(body, forbidden, `${call.method}: ${body}`);
      assert.doesNotMatch(withoutCode(String(call.body.text)), BARE_BROADCAST, String(call.body.text));
    }
    const everything = JSON.stringify(posted.map((c) => [c.body.text, c.body.blocks]));
    assert.match(everything, /@\u200Bchannel @\u200Bhere @\u200Beveryone @\u200Boncall/);
    assert.match(everything, /<https:\/\/evil\.example\|click here \(evil\.example\)>/, 'a labelled link shows its host');
    assert.match(everything, /<https:\/\/evil\.example\/x>/, 'a label that looks like another address is replaced by the URL');
    assert.match(String(posted[0]?.body.text), /— asked by <@U0ALICE01>$/, 'the root still mentions who asked');
    assert.match(JSON.stringify(posted[4]?.body.blocks), /<@U0ALICE01> asked to run/, 'the card names the requester');
    assert.match(JSON.stringify(posted[5]?.body.blocks), /Approved by <@U0BOB0001>/, 'the decided card names the approver');
    assert.match(String(posted[6]?.body.text), /approved by <@U0BOB0001> and applied/);
    assert.equal(String(posted[9]?.body.text), 'raw @\u200Bchannel and @\u200Bsre');
  });
});

describe('nothing posted to Teams can ping or phish', () => {
  const target: TeamsReplyTarget = {
    platform: 'teams',
    teamId: 'tenant-1',
    channel: '19:ops@thread.tacv2',
    threadTs: '1700000000001',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    bot: { id: '28:bot', name: 'ai4k8s' },
    conversationType: 'channel',
  };
  const TEAMS_HOSTILE =
    '<at>Admin</at> <a href="https://evil.example">Grafana</a> [click here](https://evil.example) <!channel> <@U0ADMIN> {{DATE(2030-01-01T00:00:00Z)}}';
  const sent: { conversation: TeamsConversationRef; message: TeamsMessage }[] = [];
  const conversations: TeamsConversations = {
    send: (conversation, message) => {
      sent.push({ conversation, message });
      return Promise.resolve(`id-${sent.length}`);
    },
    update: (conversation, _id, message) => {
      sent.push({ conversation, message });
      return Promise.resolve();
    },
  };
  const channel = replyChannelFor({ teams: (t) => teamsReplyChannel({ conversations, target: t }) }, target);

  it('escapes tags and at-mentions, shows where links go, and breaks card links and functions', async () => {
    await channel.postInThread('1700000000001', channel.format(`${TEAMS_HOSTILE}\n\n#### ${TEAMS_HOSTILE}`));
    await channel.postInThread('1700000000001', channel.format(alertRootText(alertWith(TEAMS_HOSTILE))));
    const approval: ApprovalCard = {
      token: 'c'.repeat(32),
      tool: 'deployment_scale',
      argumentsText: JSON.stringify({ name: TEAMS_HOSTILE }),
      preview: TEAMS_HOSTILE,
      requesterId: 'aad-alice',
      expiresAt: Date.now() + 600_000,
      outcome: { status: 'approved', by: 'aad-bob', byName: 'Bob Approver', result: TEAMS_HOSTILE },
    };
    await channel.postApproval('1700000000001', approval);
    const texts = sent.slice(0, 2).map((s) => s.message.text ?? '');
    for (const text of texts) {
      // Tags are escaped everywhere, code included; links and Slack tokens mean nothing inside code.
      assert.doesNotMatch(text, /<at>|<a href/, text);
      assert.doesNotMatch(text.replace(/`[^`\n]*`/g, ''), /<!channel>|<@U0ADMIN>|\[click here\]\(https:\/\/evil\.example\)/, text);
      assert.match(text, /&lt;at>Admin&lt;\/at>/);
    }
    assert.match(texts[0] ?? '', /\[click here \(evil\.example\)\]\(https:\/\/evil\.example\)/);
    const cardText = JSON.stringify(sent[2]?.message.attachments);
    assert.doesNotMatch(cardText, /\]\(https:\/\/evil|\{\{DATE/, cardText);
    assert.match(cardText, /aad-alice asked to run/);
    assert.match(cardText, /Approved by Bob Approver/);
  });
});
