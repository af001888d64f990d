import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ApprovalActions } from '../../../adapters/slack/register-approval-actions.ts';
import { startSlackSocketMode, type SlackSocketMode } from '../../../adapters/slack/slack-socket-mode.ts';
import { createLogger } from '../../../src/log/create-logger.ts';
import type { ChatJob } from '../../../src/queue/chat-job.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../../dev/fakes/fake-slack-api.ts';
import { startFakeSlackSocketMode, type FakeSlackSocketMode } from '../../../dev/fakes/fake-slack-socket-mode.ts';
import { eventCallbackBody, slashCommandBody } from '../../../dev/support/slack-requests.ts';

const BOT_TOKEN = 'xoxb-socket-unit-4d2e';
const BOT = 'U0FAKEBOT1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitUntil = async (check: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
};
/** A URL on a port nothing listens on (opened, then closed). */
const closedPortUrl = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/`;
};

let tsCounter = 0;
const mention = (question: string) => ({
  type: 'app_mention',
  user: 'U0ALICE001',
  text: `<@${BOT}> ${question}`,
  ts: `1700000200.${String((tsCounter += 1)).padStart(6, '0')}`,
  channel: 'C0SHOP0001',
});
const eventPayload = (event: Record<string, unknown>) => JSON.parse(eventCallbackBody({ event })) as Record<string, unknown>;

describe('Slack Socket Mode adapter (bolt SocketModeReceiver against the fake WebSocket endpoint)', () => {
  let slack: FakeSlackApi;
  let socket: FakeSlackSocketMode;
  let adapter: SlackSocketMode | undefined;
  let jobs: ChatJob[];
  /** What the next enqueue does; by default it succeeds at once. */
  let nextEnqueue: ((job: ChatJob) => Promise<string>) | undefined;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  before(() => process.on('unhandledRejection', onRejection));
  after(() => process.off('unhandledRejection', onRejection));
  beforeEach(async () => {
    slack = await startFakeSlackApi({ token: BOT_TOKEN });
    socket = await startFakeSlackSocketMode({ slack });
    jobs = [];
    nextEnqueue = undefined;
  });
  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await socket.stop();
    await slack.stop();
  });

  const start = (
    appToken = socket.appToken,
    { slackApiUrl = slack.url, connectTimeoutMs }: { slackApiUrl?: string; connectTimeoutMs?: number } = {},
  ) =>
    startSlackSocketMode({
      appToken,
      ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
      botToken: BOT_TOKEN,
      slackApiUrl,
      enqueue: async (job) => {
        const run = nextEnqueue;
        nextEnqueue = undefined;
        if (run !== undefined) return run(job);
        jobs.push(job);
        return job.deliveryId;
      },
      botUserId: BOT,
      isKnownThread: () => Promise.resolve(false),
      // No approval card is clicked in these tests; the click listener is covered by the approval tests.
      approvals: {} as ApprovalActions,
      logger: createLogger({ level: 'silent' }),
    });

  it('acks an event only once its job is enqueued', async () => {
    adapter = await start();
    let release = () => undefined as void;
    nextEnqueue = async (job) => {
      await new Promise<void>((resolve) => (release = resolve));
      jobs.push(job);
      return job.deliveryId;
    };
    const envelope = socket.deliver({ type: 'events_api', payload: eventPayload(mention('is shop healthy?')) });
    await sleep(300);
    assert.equal(socket.acks.length, 0, 'acked before the job was in the queue');
    release();
    await socket.waitForAck(envelope.envelope_id);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.text, 'is shop healthy?');
  });

  it('leaves the envelope unacknowledged when enqueueing fails, and takes Slack’s re-delivery', async () => {
    adapter = await start();
    nextEnqueue = () => Promise.reject(new Error('Redis is down'));
    const envelope = socket.deliver({ type: 'events_api', payload: eventPayload(mention('why is ledger pending?')) });
    await sleep(300);
    assert.equal(socket.acks.length, 0);
    const retry = socket.redeliver(envelope, { retryReason: 'timeout' });
    await socket.waitForAck(retry.envelope_id);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.text, 'why is ledger pending?');
  });

  it('acks unknown event types, unknown commands and unknown interactive payloads without a job', async () => {
    adapter = await start();
    const envelopes = [
      socket.deliver({
        type: 'events_api',
        payload: eventPayload({
          type: 'reaction_added',
          user: 'U0ALICE001',
          reaction: 'eyes',
          item: { type: 'message', channel: 'C0SHOP0001', ts: '1.2' },
        }),
      }),
      socket.deliver({
        type: 'events_api',
        payload: eventPayload({ type: 'message', subtype: 'message_deleted', channel: 'C0SHOP0001', ts: '1700000200.999999' }),
      }),
      socket.deliver({
        type: 'slash_commands',
        payload: Object.fromEntries(new URLSearchParams(slashCommandBody({ text: 'hi', command: '/unknown' }))),
      }),
      socket.deliver({
        type: 'interactive',
        payload: {
          type: 'shortcut',
          callback_id: 'nothing_here',
          trigger_id: '1.2.3',
          team: { id: 'T0AI4K8S' },
          user: { id: 'U0ALICE001' },
        },
      }),
    ];
    for (const envelope of envelopes) await socket.waitForAck(envelope.envelope_id);
    assert.equal(jobs.length, 0);
    assert.deepEqual(socket.unexpected, []);
  });

  it('survives malformed envelopes (no crash, no job) and keeps serving', async () => {
    adapter = await start();
    socket.sendRaw('this is not JSON');
    socket.sendRaw(JSON.stringify({ envelope_id: 'bad-1', type: 'events_api', payload: {}, accepts_response_payload: false }));
    socket.sendRaw(JSON.stringify({ envelope_id: 'bad-2', type: 'events_api', payload: null }));
    socket.sendRaw(JSON.stringify({ envelope_id: 'bad-3', type: 'slash_commands' }));
    socket.sendRaw(JSON.stringify({ envelope_id: 'bad-4', type: 'interactive', payload: 'not an object' }));
    socket.sendRaw(JSON.stringify([1, 2, 3]));
    await sleep(300);
    const envelope = socket.deliver({ type: 'events_api', payload: eventPayload(mention('still there?')) });
    await socket.waitForAck(envelope.envelope_id);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.text, 'still there?');
    assert.deepEqual(rejections, [], 'an unhandled rejection would end the gateway');
  });

  it("reconnects after Slack's disconnect message and serves on the new connection", async () => {
    adapter = await start();
    socket.disconnect('refresh_requested');
    // The client waits its reconnect delay (5 s by default) before opening a fresh URL.
    await socket.waitFor((s) => s.connections === 2, 15_000);
    assert.equal(slack.calls.filter((c) => c.method === 'apps.connections.open').length, 2);
    await sleep(100);
    const envelope = socket.deliver({ type: 'events_api', payload: eventPayload(mention('after the refresh?')) });
    const ack = await socket.waitForAck(envelope.envelope_id);
    assert.equal(ack.connection, 2);
    assert.equal(jobs.length, 1);
  });

  it('reports its connection: connected, reconnecting after a disconnect, connected again', async () => {
    adapter = await start();
    assert.deepEqual(adapter.status(), { state: 'connected' });
    socket.disconnect('refresh_requested');
    await waitUntil(() => adapter?.status().state === 'reconnecting', 3_000);
    assert.match(adapter.status().reason ?? '', /closed|reconnect|WebSocket/);
    await socket.waitFor((s) => s.connections === 2, 15_000);
    await waitUntil(() => adapter?.status().state === 'connected', 3_000);
  });

  it('starts within its connect timeout when Slack fails, reports why, and connects once Slack answers', async () => {
    // Three failed apps.connections.open calls: about 4 s of the client's backoff (1 s, 1.3 s, 1.7 s).
    slack.failNext('apps.connections.open', { status: 503 }, 3);
    const begun = Date.now();
    adapter = await start(socket.appToken, { connectTimeoutMs: 500 });
    assert.ok(Date.now() - begun < 2_000, `start took ${Date.now() - begun} ms`);
    assert.equal(adapter.status().state, 'connecting');
    assert.match(adapter.status().reason ?? '', /HTTP 503/);
    assert.equal(socket.connections, 0);
    await socket.waitFor((s) => s.connections === 1, 15_000);
    await waitUntil(() => adapter?.status().state === 'connected', 3_000);
    const envelope = socket.deliver({ type: 'events_api', payload: eventPayload(mention('late but here?')) });
    await socket.waitForAck(envelope.envelope_id);
    assert.equal(jobs.length, 1);
  });

  it('starts not connected when Slack is unreachable, and stops without connecting later', async () => {
    const closed = await closedPortUrl();
    const begun = Date.now();
    adapter = await start(socket.appToken, { slackApiUrl: closed, connectTimeoutMs: 500 });
    assert.ok(Date.now() - begun < 2_000, `start took ${Date.now() - begun} ms`);
    assert.equal(adapter.status().state, 'connecting');
    assert.match(adapter.status().reason ?? '', /unreachable/);
    await adapter.stop();
    assert.equal(adapter.status().state, 'stopped');
    adapter = undefined;
    await sleep(1_500); // past the client's first retry
    assert.equal(socket.connections, 0);
    assert.deepEqual(rejections, []);
  });

  it('stops cleanly: the socket closes and nothing reconnects', async () => {
    adapter = await start();
    await adapter.stop();
    adapter = undefined;
    await sleep(300);
    assert.throws(
      () => socket.deliver({ type: 'events_api', payload: eventPayload(mention('anyone?')) }),
      /no open Socket Mode connection/,
    );
    assert.equal(socket.connections, 1);
  });

  it('refuses to start with an app token Slack does not accept', async () => {
    await assert.rejects(start('xapp-1-A0AI4K8S01-wrong'), /invalid_auth/);
    assert.equal(socket.connections, 0);
  });
});
