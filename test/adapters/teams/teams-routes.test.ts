import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { botFrameworkConnector } from '../../../adapters/teams/bot-framework-connector.ts';
import { teamsRoutes } from '../../../adapters/teams/teams-routes.ts';
import { approvalStore } from '../../../src/approval/approval-store.ts';
import { auditLog } from '../../../src/audit/audit-log.ts';
import { startHttpServer, type HttpServerHandle } from '../../../src/http/start-http-server.ts';
import { createLogger } from '../../../src/log/create-logger.ts';
import type { ChatJob } from '../../../src/queue/chat-job.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../../../dev/fakes/fake-bot-connector.ts';
import { startFakeBotFrameworkAuth } from '../../../dev/fakes/fake-bot-framework-auth.ts';
import { testRedisUrl, uniqueName } from '../../../dev/services/shared.ts';
import { BOT, CHANNEL, TENANT, cardSubmitActivity, messageActivity } from '../../../dev/fakes/teams-activities.ts';
import { postActivity } from '../../../dev/fakes/teams-fakes.ts';
import { redisKeys } from '../../../src/queue/redis-keys.ts';

describe('Teams messaging endpoint in emulator mode (no TEAMS_APP_ID)', () => {
  let connector: FakeBotConnector;
  let server: HttpServerHandle;
  let redis: Redis;
  const lines: string[] = [];
  const jobs: ChatJob[] = [];
  const bot = botFrameworkConnector({ appType: 'MultiTenant', logger: createLogger({ level: 'silent' }) });

  before(async () => {
    connector = await startFakeBotConnector();
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    const prefix = uniqueName('teams-routes');
    const logger = createLogger({
      level: 'info',
      destination: new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    });
    const routes = teamsRoutes({
      connector: bot,
      enqueue: (job) => (jobs.push(job), Promise.resolve(`teams-${jobs.length}`)),
      isKnownThread: () => Promise.resolve(false),
      approvals: {
        store: approvalStore(redis, prefix),
        settings: { approvers: [], selfAllowed: false, ttlSeconds: 60 },
        enqueue: () => Promise.reject(new Error('no approval may be enqueued here')),
        audit: auditLog({ redis, prefix, maxEvents: 100, logger }),
      },
      logger,
    });
    server = await startHttpServer({ host: '127.0.0.1', port: 0, routes, logger });
  });
  after(async () => {
    await server.close();
    await connector.stop();
    redis.disconnect();
  });

  it('says loudly at start that requests are not authenticated', () => {
    assert.equal(bot.mode, 'emulator');
    assert.ok(lines.some((l) => /"level":"warn"/.test(l) && /EMULATOR MODE/.test(l) && /UNAUTHENTICATED/.test(l)));
  });

  it('queues a mention sent without any token, and ignores an unmentioned message in an unknown thread', async () => {
    const response = await postActivity(server.url, messageActivity({ serviceUrl: connector.url, text: 'hello bot' }));
    assert.equal(response.status, 202);
    assert.equal(jobs.at(-1)?.text, 'hello bot');
    const ignored = await postActivity(
      server.url,
      messageActivity({ serviceUrl: connector.url, text: 'chatter', rootId: '1700000000001', mention: false }),
    );
    assert.equal(ignored.status, 200);
    assert.equal(jobs.length, 1);
  });

  it('writes to the connector without an Authorization header', async () => {
    const id = await bot.send(
      { channelId: 'emulator', serviceUrl: connector.url, conversationId: 'conv-1', bot: BOT },
      { text: 'hi', textFormat: 'markdown' },
    );
    await bot.update({ channelId: 'emulator', serviceUrl: connector.url, conversationId: 'conv-1', bot: BOT }, id, { text: 'hi again' });
    assert.deepEqual(
      connector.messages('conv-1').map((m) => [m.id, m.text, m.edits.length]),
      [[id, 'hi again', 1]],
    );
    assert.ok(connector.calls.every((c) => c.headers.authorization === undefined));
  });

  it('tells the clicker in the conversation when a card click is refused (unknown token)', async () => {
    const response = await postActivity(
      server.url,
      cardSubmitActivity({
        serviceUrl: connector.url,
        conversationId: `${CHANNEL};messageid=1700000000777`,
        action: 'approve',
        token: 'e'.repeat(32),
        from: { id: '29:1x', name: 'X', aadObjectId: 'aad-x' },
        replyToId: '1',
      }),
    );
    assert.equal(response.status, 200);
    const told = await connector.waitFor((c) => c.messages(`${CHANNEL};messageid=1700000000777`)[0]);
    assert.match(told.text, /⛔ Not done: this approval is unknown/);
  });

  it('answers 500 when the queue is down (Teams retries; the same activity id then dedupes), and keeps serving', async () => {
    const logger = createLogger({ level: 'silent' });
    const failing = teamsRoutes({
      connector: bot,
      enqueue: () => Promise.reject(new Error('enqueue timed out (is Redis reachable?)')),
      isKnownThread: () => Promise.resolve(false),
      approvals: {
        store: approvalStore(redis, 'unused'),
        settings: { approvers: [], selfAllowed: false, ttlSeconds: 60 },
        enqueue: () => Promise.reject(new Error('unused')),
        audit: auditLog({ redis, prefix: 'unused', maxEvents: 1, logger }),
      },
      logger,
    });
    const down = await startHttpServer({ host: '127.0.0.1', port: 0, routes: failing, logger });
    try {
      const activity = messageActivity({ serviceUrl: connector.url, text: 'anyone?' });
      assert.equal((await postActivity(down.url, activity)).status, 500);
      assert.equal((await postActivity(down.url, activity)).status, 500);
    } finally {
      await down.close();
    }
  });

  it('refuses an oversized body with 413', async () => {
    const response = await postActivity(server.url, {
      ...messageActivity({ serviceUrl: connector.url, text: 'x' }),
      padding: 'x'.repeat(300_000),
    });
    assert.equal(response.status, 413);
  });
});

describe('Teams messaging endpoint: only allowed tenants, only the Teams channel', () => {
  const OTHER_TENANT = '0b6f8d5e-1c2a-4f3b-9a7e-5d4c3b2a1f0e';
  let connector: FakeBotConnector;
  let server: HttpServerHandle;
  let redis: Redis;
  let prefix: string;
  const jobs: ChatJob[] = [];
  const logger = createLogger({ level: 'silent' });

  before(async () => {
    connector = await startFakeBotConnector();
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    prefix = uniqueName('teams-tenants');
    const routes = teamsRoutes({
      connector: botFrameworkConnector({ appType: 'MultiTenant', logger }),
      enqueue: (job) => (jobs.push(job), Promise.resolve(`teams-${jobs.length}`)),
      isKnownThread: () => Promise.resolve(false),
      allowedTenants: [TENANT],
      approvals: {
        store: approvalStore(redis, prefix),
        settings: { approvers: [], selfAllowed: false, ttlSeconds: 60 },
        enqueue: () => Promise.reject(new Error('no approval may be enqueued here')),
        audit: auditLog({ redis, prefix, maxEvents: 100, logger }),
      },
      logger,
    });
    server = await startHttpServer({ host: '127.0.0.1', port: 0, routes, logger });
  });
  after(async () => {
    await server.close();
    await connector.stop();
    redis.disconnect();
  });

  const withTenant = (
    activity: Record<string, unknown>,
    conversationTenant: string | undefined,
    channelDataTenant: string | undefined,
  ) => ({
    ...activity,
    conversation: { ...(activity.conversation as Record<string, unknown>), tenantId: conversationTenant },
    channelData: {
      ...(activity.channelData as Record<string, unknown>),
      tenant: channelDataTenant === undefined ? undefined : { id: channelDataTenant },
    },
  });

  it('queues an allowed tenant, from msteams or (in emulator mode) the emulator', async () => {
    const before = jobs.length;
    assert.equal((await postActivity(server.url, messageActivity({ serviceUrl: connector.url, text: 'from my tenant' }))).status, 202);
    assert.equal(
      (
        await postActivity(server.url, {
          ...messageActivity({ serviceUrl: connector.url, text: 'from the emulator' }),
          channelId: 'emulator',
        })
      ).status,
      202,
    );
    assert.deepEqual(
      jobs.slice(before).map((j) => j.text),
      ['from my tenant', 'from the emulator'],
    );
  });

  it('refuses with 403 another tenant, a tenant that disagrees with itself, no tenant, and channels other than Teams; queues and decides nothing', async () => {
    const before = jobs.length;
    const message = () => messageActivity({ serviceUrl: connector.url, text: 'let me in' });
    const refused = {
      otherTenant: withTenant(message(), OTHER_TENANT, OTHER_TENANT),
      otherInChannelData: withTenant(message(), TENANT, OTHER_TENANT),
      otherInConversation: withTenant(message(), OTHER_TENANT, TENANT),
      noTenant: withTenant(message(), undefined, undefined),
      webchat: { ...message(), channelId: 'webchat' },
      directline: { ...message(), channelId: 'directline' },
      slack: { ...message(), channelId: 'slack' },
      cardFromOtherTenant: withTenant(
        cardSubmitActivity({
          serviceUrl: connector.url,
          conversationId: `${CHANNEL};messageid=1700000000555`,
          action: 'approve',
          token: 'f'.repeat(32),
          from: { id: '29:1m', name: 'M', aadObjectId: 'aad-m' },
          replyToId: '1',
        }),
        OTHER_TENANT,
        OTHER_TENANT,
      ),
    };
    const statuses: Record<string, number> = {};
    for (const [name, activity] of Object.entries(refused)) {
      const response = await postActivity(server.url, activity);
      statuses[name] = response.status;
      if (response.status === 403) assert.match(await response.text(), /"error":"forbidden"/);
    }
    assert.deepEqual(statuses, Object.fromEntries(Object.keys(refused).map((name) => [name, 403])));
    assert.equal(jobs.length, before);
    // A refused card click is not a decision: nothing audited, nobody told in the conversation.
    assert.equal(await redis.xlen(redisKeys(prefix).audit), 0);
    assert.deepEqual(connector.messages(), []);
  });
});

describe('Teams outgoing calls with TEAMS_APP_ID', () => {
  it('get a token from the token endpoint and carry it; a wrong password fails the write', async () => {
    const auth = await startFakeBotFrameworkAuth({ appId: 'app-1', password: 'right-password' });
    const connector = await startFakeBotConnector({ acceptsToken: (token) => auth.issued(token) });
    try {
      const options = {
        appId: 'app-1',
        appType: 'MultiTenant' as const,
        openIdMetadataUrl: auth.openIdMetadataUrl,
        loginUrl: auth.loginUrl,
        logger: createLogger({ level: 'silent' }),
      };
      const conversation = { channelId: 'msteams', serviceUrl: connector.url, conversationId: 'conv-2', bot: BOT };
      const good = botFrameworkConnector({ ...options, password: 'right-password' });
      assert.equal(good.mode, 'authenticated');
      await good.send(conversation, { text: 'one' });
      await good.send(conversation, { text: 'two' });
      assert.equal(auth.tokenRequests.length, 1, 'the token is reused');
      assert.deepEqual(auth.tokenRequests[0]?.form.scope, 'https://api.botframework.com/.default');
      assert.match(String(connector.calls[0]?.headers.authorization), /^Bearer fake-bf-/);

      const wrong = botFrameworkConnector({ ...options, password: 'wrong-password' });
      await assert.rejects(wrong.send(conversation, { text: 'three' }), /token endpoint .* answered 401 \(invalid_client\)/);
      assert.equal(connector.messages('conv-2').length, 2);
    } finally {
      await Promise.all([connector.stop(), auth.stop()]);
    }
  });
});
