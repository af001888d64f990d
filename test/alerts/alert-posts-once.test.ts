import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadAlertRoutes } from '../../src/alerts/alert-routes.ts';
import { alertThreadStore, type AlertThreadStore } from '../../src/alerts/alert-thread-store.ts';
import { handleAlertJob, type HandleAlertJobDeps } from '../../src/alerts/handle-alert-job.ts';
import { createSlackClient } from '../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../adapters/slack/reply/slack-reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { conversationStore } from '../../src/memory/conversation-store.ts';
import type { AlertJob, AlertNotification } from '../../src/queue/alert-job.ts';
import { alertJobId } from '../../src/queue/alert-queue.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { notification } from '../../dev/fakes/notification-fixture.ts';

const CHANNEL = 'C0ALERTONCE';

const firing = notification({
  groupKey: '{}:{alertname="OnceOnly"}',
  groupLabels: { alertname: 'OnceOnly' },
  commonLabels: { alertname: 'OnceOnly' },
});
const resolved: AlertNotification = {
  ...firing,
  status: 'resolved',
  alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: '2026-11-25T15:00:00Z' })),
};

/**
 * A worker that dies after Slack took a post and before the thread record was written: simulated by a thread
 * store whose chosen write fails once (what the crashed attempt never wrote). The retry must find the post.
 */
describe('alert threads: a retry finds the root and the change line a crashed attempt posted', () => {
  let redis: Redis;
  let slack: FakeSlackApi;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    slack = await startFakeSlackApi();
  });
  after(async () => {
    await slack.stop();
    redis.disconnect();
  });

  const setup = (failWrite: number) => {
    const prefix = uniqueName('alert-once');
    const threads = alertThreadStore({ redis, prefix, ttlSeconds: 600 });
    let writes = 0;
    const crashing: AlertThreadStore = {
      ...threads,
      write: async (...args) => {
        writes += 1;
        if (writes === failWrite) throw new Error('the worker died before recording the thread');
        await threads.write(...args);
      },
    };
    const logger = createLogger({ level: 'silent' });
    const client = createSlackClient({ token: slack.token, slackApiUrl: slack.url, logger });
    const deps: HandleAlertJobDeps = {
      routes: loadAlertRoutes({ policy: undefined, slackChannel: CHANNEL, teamsConversation: undefined }),
      threads: crashing,
      memory: conversationStore({ redis, prefix, ttlSeconds: 600, tokenBudget: 30_000 }),
      replyChannelFor: (target) => slackReplyChannel({ client, channel: target.channel }),
      slackTeamId: () => Promise.resolve(slack.identity.teamId),
      enqueueInvestigation: () => Promise.resolve('unused'),
      logger,
    };
    let clock = Date.parse('2026-11-25T14:40:00Z');
    const run = (n: AlertNotification) =>
      handleAlertJob(
        {
          id: alertJobId(n),
          data: { notification: n, receivedAt: new Date((clock += 1_000)).toISOString() } satisfies AlertJob,
        } as unknown as Job,
        deps,
      );
    return { run };
  };

  it('the root: one thread', async () => {
    slack.reset();
    const { run } = setup(1);
    await assert.rejects(run(firing), /died before recording/);
    await run(firing); // the queue's retry of the same notification
    const roots = slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
    assert.equal(roots.length, 1, `${roots.length} alert roots for one group`);
  });

  it('the line a change adds: posted once', async () => {
    slack.reset();
    // Write 1 opens the thread (OPENING), write 2 records it, write 3 records the resolve: that one fails.
    const { run } = setup(3);
    await run(firing);
    await assert.rejects(run(resolved), /died before recording/);
    await run(resolved);
    const [root] = slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
    assert.ok(root !== undefined);
    const lines = slack.thread(CHANNEL, root.ts).filter((m) => m.ts !== root.ts);
    assert.equal(lines.length, 1, `lines: ${lines.map((l) => l.text).join(' | ')}`);
    assert.match(lines[0]?.text ?? '', /Resolved/i);
  });
});
