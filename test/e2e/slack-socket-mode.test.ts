import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { onItText } from '../../adapters/slack/k8s-command-text.ts';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackSocketMode } from '../../dev/fakes/fake-slack-socket-mode.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { blockActionsBody, eventCallbackBody, slashCommandBody } from '../../dev/support/slack-requests.ts';
import { adminApis, createOwnDeployment, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer, waitForThreadAnswers } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

const BOT = 'U0FAKEBOT1';
const CHANNEL = 'C0SHOP0001';
const ALICE = 'U0ALICE001';
const APPROVER = 'U0APPROVER';
// A deployment of this test's own, scaled by an approval clicked over the socket.
const NAMESPACE = uniqueName('socket-approval');
const DEPLOYMENT = 'web';

let tsCounter = 0;
const newTs = () => `1700000100.${String(randomInt(100_000)).padStart(5, '0')}${(tsCounter += 1) % 10}`;

/** A slash command as a Socket Mode payload: the same fields Slack POSTs form-encoded, as a JSON object. */
const slashCommandPayload = (text: string, userId = ALICE) => Object.fromEntries(new URLSearchParams(slashCommandBody({ text, userId })));
/** An Events API `event_callback`, as the payload of an `events_api` envelope. */
const eventPayload = (event: Record<string, unknown>, eventId?: string) =>
  JSON.parse(eventCallbackBody({ event, eventId })) as Record<string, unknown>;

describe('Slack over Socket Mode (bolt SocketModeReceiver against a fake WebSocket endpoint), end to end', () => {
  let stack: Stack;
  let socket: FakeSlackSocketMode;
  before(async () => {
    stack = await startStack({ socketMode: true, env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
    assert.ok(stack.socket !== undefined);
    socket = stack.socket;
  });
  after(async () => {
    await stack.stop();
    const { core } = await adminApis();
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  const jobCount = () => countJobs(stack.redis, stack.prefix, CHAT_QUEUE);

  it('connects with the app token through apps.connections.open on SLACK_API_URL, and serves no HTTP request URL', async () => {
    const opens = stack.slack.calls.filter((c) => c.method === 'apps.connections.open');
    assert.equal(opens.length, 1);
    assert.equal(opens[0]?.headers.authorization, `Bearer ${socket.appToken}`);
    assert.equal(socket.connections, 1);
    const http = await fetch(`${stack.gatewayUrl}/slack/events`, { method: 'POST', body: '{}' });
    assert.equal(http.status, 404, 'Socket Mode replaces the request URL');
  });

  it('answers /k8s over the socket: acked with the ephemeral "on it", answered once in its thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [toolUse('pods_list', { namespace: 'shop' })] }, { content: [text('checkout is in CrashLoopBackOff.')] });
    const envelope = socket.deliver({ type: 'slash_commands', payload: slashCommandPayload('which pod crashes in shop?') });
    const ack = await socket.waitForAck(envelope.envelope_id);
    assert.deepEqual(ack.payload, { response_type: 'ephemeral', text: onItText });
    const { root, replies } = await waitForAnswer(stack.slack, 'which pod crashes in shop?');
    assert.equal(root.channel, CHANNEL);
    assert.equal(replies.length, 1);
    assert.match(replies[0]?.text ?? '', /CrashLoopBackOff/);
  });

  it('answers a mention in its thread; the message event of the same message and re-deliveries make no second answer', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [text('Two pods are not ready in payments.')] });
    const before = await jobCount();
    const ts = newTs();
    const mention = { type: 'app_mention', user: ALICE, text: `<@${BOT}> which pods are not ready in payments?`, ts, channel: CHANNEL };
    const first = socket.deliver({ type: 'events_api', payload: eventPayload(mention, 'EvSOCKMENTION1') });
    const pair = socket.deliver({
      type: 'events_api',
      payload: eventPayload({ ...mention, type: 'message', channel_type: 'channel' }, 'EvSOCKMESSAGE1'),
    });
    // Slack's retries: the same envelope again, and the same event in a new envelope.
    const again = socket.redeliver(first);
    const anew = socket.redeliver(first, { newEnvelopeId: true, retryReason: 'timeout' });
    for (const envelope of [first, pair, again, anew]) await socket.waitForAck(envelope.envelope_id);

    const [answer] = await waitForThreadAnswers(stack.slack, CHANNEL, ts, 1);
    assert.match(answer?.text ?? '', /Two pods are not ready/);
    await sleep(500); // room for a wrong second answer to show up
    assert.equal(stack.slack.thread(CHANNEL, ts).length, 1, 'one answer in the thread');
    assert.equal(stack.slack.messages().filter((m) => m.threadTs === undefined).length, 0, 'no root message for a mention');
    assert.equal(stack.model.requests.length, 1);
    assert.equal(await jobCount(), before + 1);
  });

  it('acknowledges every envelope it was sent, exactly once per delivery, with nothing else on the socket', () => {
    for (const envelope of socket.delivered)
      assert.ok(
        socket.acks.some((a) => a.envelope_id === envelope.envelope_id),
        `${envelope.type} ${envelope.envelope_id} not acked`,
      );
    const perDelivery = new Map<string, number>();
    for (const envelope of socket.delivered) perDelivery.set(envelope.envelope_id, (perDelivery.get(envelope.envelope_id) ?? 0) + 1);
    for (const [id, deliveries] of perDelivery) assert.equal(socket.acks.filter((a) => a.envelope_id === id).length, deliveries, id);
    assert.deepEqual(socket.unexpected, []);
  });

  it('answers an empty mention over the socket with usage', async () => {
    stack.model.reset();
    stack.slack.reset();
    const ts = newTs();
    const envelope = socket.deliver({
      type: 'events_api',
      payload: eventPayload({ type: 'app_mention', user: ALICE, text: `<@${BOT}>`, ts, channel: CHANNEL }),
    });
    await socket.waitForAck(envelope.envelope_id);
    const reply = await stack.slack.waitFor((s) => s.thread(CHANNEL, ts)[0], 20_000);
    assert.match(reply.text, /Ask your cluster a question/);
    assert.equal(stack.model.requests.length, 0);
  });

  it('takes an Approve click over the socket: acked, the action runs and the card says who approved', async () => {
    const { apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 3 })] },
      { content: [text('That change is waiting for a human approval in this thread.')] },
    );
    socket.deliver({ type: 'slash_commands', payload: slashCommandPayload('scale web to 3', ALICE) });
    const card = await waitForCard(stack.slack, 'scale web to 3', 'waiting for a human approval');
    const continuation = scriptContinuation(stack, 'Verified: web runs 3 replicas now.');

    const form = blockActionsBody({
      actionId: 'ai4k8s_approve',
      value: card.value,
      userId: APPROVER,
      channelId: card.message.channel,
      messageTs: card.message.ts,
      threadTs: card.root.ts,
    });
    const payload = JSON.parse(new URLSearchParams(form).get('payload') ?? '{}') as Record<string, unknown>;
    const click = socket.deliver({ type: 'interactive', payload });
    assert.equal((await socket.waitForAck(click.envelope_id)).connection, 1);
    await stack.slack.waitFor(
      (s) => s.messages().find((m) => m.ts === card.message.ts && /Approved by <@U0APPROVER>/.test(m.text)),
      20_000,
    );
    const scale = await apps.readNamespacedDeploymentScale({ namespace: NAMESPACE, name: DEPLOYMENT });
    assert.equal(scale.spec?.replicas, 3);
    await continuation.posted(card);
  });

  it('reports the socket on /readyz: 200 connected, 503 with the reason while reconnecting, 200 again', async () => {
    const readyz = async () => {
      const response = await fetch(`${stack.gatewayUrl}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
    };
    assert.deepEqual(await readyz(), { status: 200, body: { status: 'ready', role: 'gateway' } });
    const opened = socket.connections;
    socket.disconnect('refresh_requested');
    // The client waits its reconnect delay (5 s) before opening a new WebSocket: not ready meanwhile.
    let down = await readyz();
    for (let tries = 0; down.status === 200 && tries < 50; tries += 1) {
      await sleep(50);
      down = await readyz();
    }
    assert.equal(down.status, 503);
    assert.match(down.body.reason ?? '', /slack socket mode reconnecting/);
    await socket.waitFor((s) => s.connections === opened + 1, 15_000);
    let up = await readyz();
    for (let tries = 0; up.status !== 200 && tries < 50; tries += 1) {
      await sleep(50);
      up = await readyz();
    }
    assert.equal(up.status, 200);
  });
});
