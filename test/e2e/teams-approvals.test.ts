import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeBotConnector, FakeTeamsMessage } from '../../dev/fakes/fake-bot-connector.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import {
  ALICE,
  BOB,
  CAROL,
  CHANNEL,
  TENANT,
  cardSubmitActivity,
  messageActivity,
  nextActivityId,
} from '../../dev/fakes/teams-activities.ts';
import { postActivity } from '../../dev/fakes/teams-fakes.ts';
import { createOwnDeployment } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';

// A deployment of this test's own: other test files read the shop fixtures while this one scales.
const NAMESPACE = uniqueName('teams-approvals');
const DEPLOYMENT = 'web';
const SCALE = { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 5 };

interface TeamsCard {
  message: FakeTeamsMessage;
  token: string;
  /** The digest of the shown action the buttons carry with the token. */
  digest: string | undefined;
  chain: string;
}

/** The Approve button's data in an approval card's Adaptive Card, if it still has buttons. */
const submitDataOf = (message: FakeTeamsMessage): { token?: string; digest?: string } | undefined => {
  const content = message.attachments[0]?.content as { actions?: { data?: { token?: string; digest?: string } }[] } | undefined;
  return content?.actions?.[0]?.data;
};
const tokenOf = (message: FakeTeamsMessage): string | undefined => submitDataOf(message)?.token;
const cardText = (message: FakeTeamsMessage) => JSON.stringify(message.attachments[0]?.content ?? {});

describe('Teams approvals: an Adaptive Card decides a write the model asked for', () => {
  let stack: Stack;
  let connector: FakeBotConnector;
  let apps: AppsV1Api;
  const replicas = async () => (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas;
  const post = (activity: unknown) =>
    postActivity(stack.gatewayUrl, activity, `Bearer ${stack.teams?.auth?.channelToken({ serviceUrl: connector.url }) ?? ''}`);

  /** ALICE asks for the scale in a new channel post; resolves with the card once the model's answer is posted too. */
  const ask = async (question: string): Promise<TeamsCard> => {
    stack.model.script(
      { content: [toolUse('deployment_scale', SCALE)] },
      { content: [text('That change is waiting for a human approval in this thread.')] },
    );
    const rootId = nextActivityId();
    const response = await post(messageActivity({ serviceUrl: connector.url, text: question, id: rootId }));
    assert.equal(response.status, 202);
    const chain = `${CHANNEL};messageid=${rootId}`;
    return connector.waitFor((c) => {
      const message = c.messages(chain).find((m) => tokenOf(m) !== undefined);
      const token = message === undefined ? undefined : tokenOf(message);
      const answered = c.messages(chain).some((m) => m.text.includes('waiting for a human approval'));
      return message !== undefined && token !== undefined && answered
        ? { message, token, digest: submitDataOf(message)?.digest, chain }
        : undefined;
    }, 20_000);
  };
  const click = async (card: TeamsCard, action: 'approve' | 'deny', from: typeof ALICE) => {
    const response = await post(
      cardSubmitActivity({
        serviceUrl: connector.url,
        conversationId: card.chain,
        action,
        token: card.token,
        ...(card.digest === undefined ? {} : { digest: card.digest }),
        from,
        replyToId: card.message.id,
      }),
    );
    assert.equal(response.status, 200);
  };
  const waitForText = (card: TeamsCard, pattern: RegExp) =>
    connector.waitFor((c) => c.messages(card.chain).find((m) => pattern.test(m.text)), 20_000);
  const current = (card: TeamsCard) => connector.messages().find((m) => m.id === card.message.id);

  before(async () => {
    // Alice and Bob approve (Teams users by tenant and AAD object id); Carol does not.
    stack = await startStack({
      teams: { auth: true },
      env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: `teams:${TENANT}:${BOB.aadObjectId},teams:${TENANT}:${ALICE.aadObjectId}` },
    });
    connector = stack.teams?.connector as FakeBotConnector;
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it('posts a card that changes nothing; Approve runs the action once and updates the card; a second click is refused', async () => {
    stack.model.reset();
    connector.reset();
    const card = await ask('scale web to 5');
    assert.equal(card.message.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(card.message), /replicas 2 → 5/);
    assert.deepEqual(
      (card.message.attachments[0]?.content as { actions: { type: string; title: string }[] }).actions.map((a) => [a.type, a.title]),
      [
        ['Action.Submit', 'Approve'],
        ['Action.Submit', 'Deny'],
      ],
    );
    assert.equal(await replicas(), 2, 'the model alone changed the deployment');

    stack.model.script({ content: [text('Verified: web runs 5 replicas now.')] });
    await click(card, 'approve', BOB);
    // The card names the person (Teams `from.name`); the audit below keeps the AAD object id.
    await connector.waitFor(() => /Approved by Bob Approver/.test(cardText(current(card) ?? card.message)), 20_000);
    assert.doesNotMatch(cardText(current(card) ?? card.message), /aad-bob-0002/);
    assert.match(current(card)?.text ?? '', /Approved by Bob Approver/, 'the summary text names the person too');
    assert.equal(await replicas(), 5);
    assert.equal(tokenOf(current(card) ?? card.message), undefined, 'the decided card still has buttons');
    await waitForText(card, /approved by Bob Approver and applied/);

    await click(card, 'approve', BOB);
    await waitForText(card, /⛔ Not done: this action was already approved by Bob Approver;/);
    await sleep(300);
    assert.equal(connector.messages(card.chain).filter((m) => /and applied/.test(m.text)).length, 1, 'the action ran twice');
    assert.equal(await replicas(), 5);

    const { events } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => 'approval' in e && e.approval === card.token.slice(0, 8));
    assert.deepEqual(
      mine.map((e) => [e.kind, 'by' in e ? e.by : undefined, e.platform, e.user]),
      [
        ['approval_requested', undefined, 'teams', ALICE.aadObjectId],
        ['approval_approved', BOB.aadObjectId, 'teams', ALICE.aadObjectId],
        ['approval_executed', BOB.aadObjectId, 'teams', ALICE.aadObjectId],
        ['approval_refused', BOB.aadObjectId, 'teams', ALICE.aadObjectId],
      ],
    );
    const refused = mine.at(-1);
    assert.match(
      refused !== undefined && 'reason' in refused ? String(refused.reason) : '',
      new RegExp(`already approved by ${BOB.aadObjectId}`),
      'the audit names the decider by id',
    );
  });

  it('Deny leaves the deployment unchanged and says so on the card; self-approval and non-approvers are refused', async () => {
    stack.model.reset();
    connector.reset();
    const scale = await apps.readNamespacedDeploymentScale({ namespace: NAMESPACE, name: DEPLOYMENT });
    await apps.replaceNamespacedDeploymentScale({ namespace: NAMESPACE, name: DEPLOYMENT, body: { ...scale, spec: { replicas: 2 } } });

    const card = await ask('scale web to 5 please');
    await click(card, 'approve', ALICE);
    await waitForText(card, /⛔ Not done: you asked for this action/);
    await click(card, 'approve', CAROL);
    await waitForText(card, new RegExp(`⛔ Not done: only an approver \\(teams:${TENANT}:${BOB.aadObjectId}`));
    assert.equal(current(card)?.edits.length, 0, 'a refused click changed the card');

    stack.model.script({ content: [text('Understood, nothing was changed.')] });
    await click(card, 'deny', BOB);
    await connector.waitFor(() => /Denied by Bob Approver/.test(cardText(current(card) ?? card.message)), 20_000);
    await waitForText(card, /Bob Approver denied `deployment_scale`\. Nothing was changed/);
    await sleep(300);
    assert.equal(await replicas(), 2);
  });
});
