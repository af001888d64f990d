import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { click, createOwnDeployment, lastUserText, scriptContinuation, waitForCard, type Card } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, toolResultsOf } from './support.ts';

const APPROVER = 'U0APPROVER';
const REQUESTER = 'U0ONCALL01';
const NAMESPACE = uniqueName('continue');
const DEPLOYMENT = 'web';

async function ask(stack: Stack, question: string, replicas: number): Promise<Card> {
  stack.model.script(
    { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas })] },
    { content: [text('That change is waiting for a human approval in this thread.')] },
  );
  await stack.slashCommand({ text: question, userId: REQUESTER });
  return waitForCard(stack.slack, question, 'waiting for a human approval');
}

/** The earlier tool calls the model sees again in a request's history. */
const toolUsesIn = (request: MessagesRequest) =>
  (request.messages as { role: string; content: unknown }[]).flatMap((m) =>
    Array.isArray(m.content)
      ? (m.content as { type?: string; name?: string }[]).filter((b) => b.type === 'tool_use').map((b) => b.name)
      : [],
  );

const roots = (stack: Stack) => stack.slack.messages().filter((m) => m.threadTs === undefined);

describe('after a decision the model continues the thread with the outcome', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  before(async () => {
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it('approve: the model gets the applied result with the thread history, verifies with a read tool, and its answer lands in the thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    const card = await ask(stack, 'scale web to 3 and check it', 3);
    let followUp: MessagesRequest | undefined;
    let verification = '';
    stack.model.script(
      (request: MessagesRequest) => {
        followUp = request;
        return { content: [toolUse('deployments_list', { namespace: NAMESPACE })] };
      },
      (request: MessagesRequest) => {
        verification = toolResultsOf(request)[0]?.text ?? '';
        return { content: [text('Verified: web now runs 3 replicas.')] };
      },
    );
    const rootsBefore = roots(stack).length;
    await click(stack, card, 'approve', APPROVER);
    const answer = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => m.text.includes('Verified: web now runs 3 replicas.')),
      20_000,
    );
    assert.equal(answer.threadTs, card.root.ts);
    assert.ok(followUp !== undefined);
    const outcome = lastUserText(followUp);
    assert.match(outcome, /approval outcome/);
    assert.match(
      outcome,
      new RegExp(`<@${APPROVER}> approved deployment_scale \\{"namespace":"${NAMESPACE}","name":"web","replicas":3\\} and it was applied`),
    );
    assert.match(outcome, /APPLIED: scale deployment .*replicas 2 → 3/);
    assert.ok(toolUsesIn(followUp).includes('deployment_scale'), 'the follow-up lacks the thread history');
    assert.match(JSON.stringify(followUp.messages[0]), /scale web to 3 and check it/);
    assert.match(verification, /web/);
    assert.equal(roots(stack).length, rootsBefore, 'the continuation posted a new root message');
    assert.equal((await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas, 3);
    await sleep(500);
    assert.equal(stack.model.requests.length, 4, 'the conversation continued more than once');
  });

  it('deny: the model is told who denied what, and its reply lands in the thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    const card = await ask(stack, 'scale web to 6 please', 6);
    const continuation = scriptContinuation(stack, 'Okay, I will leave web as it is.');
    await click(stack, card, 'deny', APPROVER);
    const outcome = lastUserText(await continuation.request);
    assert.match(outcome, new RegExp(`<@${APPROVER}> denied deployment_scale .*"replicas":6.*Nothing was changed`));
    const reply = await continuation.posted(card);
    assert.equal(reply.threadTs, card.root.ts);
  });
});

describe('after an expiry the model continues too', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER, APPROVAL_TTL_SECONDS: '1' } });
  });
  after(async () => {
    await stack.stop();
  });

  it('a late click reports the expiry to the model, which answers in the thread', async () => {
    const card = await ask(stack, 'scale web to 7 sometime', 7);
    await sleep(1_500);
    const continuation = scriptContinuation(stack, 'That approval expired; nothing changed.');
    await click(stack, card, 'approve', APPROVER);
    assert.match(
      lastUserText(await continuation.request),
      /The approval for deployment_scale .*"replicas":7.* expired before anyone approved it\. Nothing was changed/,
    );
    await continuation.posted(card);
  });

  it('a card nobody answers expires on its own timer: the card says so, and the model continues', async () => {
    const card = await ask(stack, 'scale web to 8 when you can', 8);
    const continuation = scriptContinuation(stack, 'Nobody approved scaling web to 8 in time.');
    // TTL 1 s + the timer's 5 s grace: the follow-up comes without any click.
    const outcome = lastUserText(await continuation.request);
    assert.match(outcome, /The approval for deployment_scale .*"replicas":8.* expired before anyone approved it/);
    await stack.slack.waitFor(
      (s) => s.messages().find((m) => m.ts === card.message.ts && /Expired before anyone approved it/.test(m.text)),
      10_000,
    );
    await continuation.posted(card);
    const { events } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => 'approval' in e && e.approval === card.token.slice(0, 8));
    assert.deepEqual(
      mine.map((e) => [e.kind, 'by' in e ? e.by : undefined]),
      [
        ['approval_requested', undefined],
        ['approval_expired', undefined],
      ],
    );
    await click(stack, card, 'approve', APPROVER);
    await stack.slack.waitFor(
      (s) => s.ephemerals().find((e) => e.user === APPROVER && /this approval has expired/.test(e.text) && e.text.includes('Not done')),
      10_000,
    );
  });
});
