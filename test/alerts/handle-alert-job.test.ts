import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadAlertRoutes, type AlertRoutes } from '../../src/alerts/alert-routes.ts';
import { alertThreadStore } from '../../src/alerts/alert-thread-store.ts';
import { handleAlertJob, type HandleAlertJobDeps } from '../../src/alerts/handle-alert-job.ts';
import { investigationFindingsTurn } from '../../src/alerts/investigation-job.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import type { ReplyChannel } from '../../src/chat/reply-channel.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { conversationStore } from '../../src/memory/conversation-store.ts';
import { threadKey } from '../../src/memory/thread-key.ts';
import type { AlertJob, AlertNotification } from '../../src/queue/alert-job.ts';
import { alertJobId } from '../../src/queue/alert-queue.ts';
import { chatJobId } from '../../src/queue/chat-queue.ts';
import type { ChatJob, ReplyTarget } from '../../src/queue/chat-job.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { notification } from '../../dev/fakes/notification-fixture.ts';

const TEAM = 'T0ALERTTEAM';

interface Posted {
  channel: string;
  id: string;
  threadId?: string;
  text: string;
  edits: string[];
}

/** A reply channel per target that records what was posted, with a small delay so concurrent jobs overlap. */
function recordingChannels(fail: Set<string> = new Set()) {
  const posted: Posted[] = [];
  let next = 0;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  const replyChannelFor = (target: ReplyTarget): ReplyChannel => {
    const post = async (text: string, threadId?: string) => {
      await pause();
      if (fail.has(target.channel)) throw new Error(`channel ${target.channel} is down`);
      const id = `1700000000.${String((next += 1)).padStart(6, '0')}`;
      posted.push({ channel: target.channel, id, ...(threadId === undefined ? {} : { threadId }), text, edits: [] });
      return id;
    };
    return {
      postRoot: (text) => post(text),
      postInThread: (threadId, text) => post(text, threadId),
      update: async (messageId, text) => {
        await pause();
        const message = posted.find((m) => m.id === messageId);
        assert.ok(message !== undefined, `update of unknown message ${messageId}`);
        message.text = text;
        message.edits.push(text);
      },
      postApproval: () => Promise.reject(new Error('not used')),
      updateApproval: () => Promise.reject(new Error('not used')),
      format: (markdown) => markdown,
      maxMessageChars: 4000,
    };
  };
  return { posted, replyChannelFor };
}

const firing = (startsAt = '2026-11-25T10:00:00Z', extra: Record<string, unknown> = {}) =>
  notification({
    groupKey: '{}:{alertname="DiskFull"}',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'critical', namespace: 'shop' },
    commonAnnotations: { summary: 'Disk almost full' },
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'DiskFull', severity: 'critical', namespace: 'shop', instance: 'node-1' },
        annotations: { summary: 'Disk almost full', description: 'node-1 has 2% free on /var' },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example/graph?g0.expr=node_filesystem_avail_bytes+%3C+1e9&g0.tab=1',
        fingerprint: 'aaaa1111',
      },
    ],
    ...extra,
  });
const resolved = (startsAt = '2026-11-25T10:00:00Z') => {
  const base = firing(startsAt);
  return {
    ...base,
    status: 'resolved' as const,
    alerts: base.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: '2026-11-25T10:30:00Z' })),
  };
};

describe('alert threads in the worker (real Redis, recording reply channel)', () => {
  let redis: Redis;
  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(() => redis.disconnect());

  const setup = ({ routes, fail }: { routes?: AlertRoutes; fail?: Set<string> } = {}) => {
    const prefix = uniqueName('alerts');
    const channels = recordingChannels(fail);
    const investigations: ChatJob[] = [];
    const memory = conversationStore({ redis, prefix, ttlSeconds: 600, tokenBudget: 30_000 });
    const deps: HandleAlertJobDeps = {
      routes: routes ?? loadAlertRoutes({ policy: undefined, slackChannel: 'C0ALERTS01', teamsConversation: undefined }),
      threads: alertThreadStore({ redis, prefix, ttlSeconds: 600 }),
      memory,
      replyChannelFor: channels.replyChannelFor,
      slackTeamId: () => Promise.resolve(TEAM),
      enqueueInvestigation: (job) => {
        investigations.push(job);
        return Promise.resolve(chatJobId(job));
      },
      logger: createLogger({ level: 'silent' }),
    };
    let clock = Date.parse('2026-11-25T10:00:00Z');
    // A stand-in for the BullMQ job: handleAlertJob reads only its id and data.
    const run = (n: AlertNotification, receivedAt = new Date((clock += 1_000)).toISOString()) =>
      handleAlertJob({ id: alertJobId(n), data: { notification: n, receivedAt } satisfies AlertJob } as unknown as Job, deps);
    const roots = () => channels.posted.filter((m) => m.threadId === undefined);
    return { prefix, run, deps, memory, investigations, posted: channels.posted, roots };
  };

  it('concurrent notifications of one group open exactly one thread; the newest state wins', async () => {
    const { run, roots, posted } = setup();
    const t = (s: number) => new Date(Date.parse('2026-11-25T11:00:00Z') + s * 1000).toISOString();
    await Promise.all([run(firing(), t(1)), run(firing('2026-11-25T10:00:00Z', { truncatedAlerts: 1 }), t(2)), run(resolved(), t(3))]);
    assert.equal(roots().length, 1);
    const root = roots()[0];
    assert.match(root?.text ?? '', /RESOLVED/);
    // A late, older notification changes nothing.
    const before = posted.length;
    await run(firing(), t(0));
    assert.equal(posted.length, before);
    assert.match(roots()[0]?.text ?? '', /RESOLVED/);
  });

  it('an unchanged repeat adds nothing; a resolve updates the root and adds a line', async () => {
    const { run, roots, posted } = setup();
    await run(firing());
    await run(firing());
    assert.equal(posted.length, 1);
    const root = roots()[0];
    assert.ok(root !== undefined);
    assert.match(root.text, /FIRING.*DiskFull.*critical/);
    assert.match(root.text, /\[Silence\]\(http:\/\/127\.0\.0\.1:34269\/#\/silences\/new\?filter=/);
    await run(resolved());
    assert.equal(root.edits.length, 1);
    assert.match(root.text, /RESOLVED/);
    assert.doesNotMatch(root.text, /Silence/);
    const lines = posted.filter((m) => m.threadId === root.id);
    assert.equal(lines.length, 1);
    assert.match(lines[0]?.text ?? '', /Resolved/);
  });

  it('seeds the thread memory with the alert and updates it on resolve, under the key Slack events use', async () => {
    const { run, roots, memory } = setup();
    await run(firing());
    const key = threadKey({ platform: 'slack', teamId: TEAM, channel: 'C0ALERTS01' }, roots()[0]?.id ?? '');
    assert.equal(await memory.isKnownThread(key), true);
    const opened = JSON.stringify(await memory.history(key, { reader: undefined }));
    for (const expected of [
      'instance=\\"node-1\\"',
      'severity=\\"critical\\"',
      'node-1 has 2% free on /var',
      'started 2026-11-25T10:00:00Z',
      'node_filesystem_avail_bytes < 1e9',
    ]) {
      assert.ok(opened.includes(expected), `${expected} in ${opened}`);
    }
    await run(resolved());
    const history = await memory.history(key, { reader: undefined });
    assert.deepEqual(
      history.map((m) => m.role),
      ['user', 'assistant'],
      'the update replaces the alert context, it does not stack up',
    );
    assert.match(JSON.stringify(history[0]), /status resolved.*ended 2026-11-25T10:30:00Z/);
  });

  it('a resolve replaces the pinned alert but keeps the pinned findings of the investigation after it', async () => {
    const { run, roots, memory } = setup();
    await run(firing());
    const key = threadKey({ platform: 'slack', teamId: TEAM, channel: 'C0ALERTS01' }, roots()[0]?.id ?? '');
    await memory.pin(key, 'investigation:chat-1', investigationFindingsTurn('Findings: /var fills with rotated logs.'), 'investigation');
    await run(resolved());
    const history = await memory.history(key, { reader: undefined });
    assert.deepEqual(
      history.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
    assert.match(JSON.stringify(history[0]), /Alertmanager sent an update.*status resolved/);
    assert.match(
      JSON.stringify(history[2]),
      /automatic investigation[\s\S]*UNTRUSTED DATA from the cluster \(earlier findings of the automatic investigation[\s\S]*Findings: \/var fills with rotated logs\./,
    );
  });

  it('keeps the alert first in the memory of a long thread, whose oldest answers compaction drops', async () => {
    const { run, roots, deps } = setup();
    const budget = 1_500;
    deps.memory = conversationStore({ redis, prefix: uniqueName('alerts-small'), ttlSeconds: 600, tokenBudget: budget });
    await run(firing());
    const key = threadKey({ platform: 'slack', teamId: TEAM, channel: 'C0ALERTS01' }, roots()[0]?.id ?? '');
    for (let n = 1; n <= 10; n += 1) {
      await deps.memory.append(
        key,
        `chat-${n}`,
        [
          { role: 'user', content: `follow-up ${n}` },
          { role: 'assistant', content: [{ type: 'text', text: `answer ${n}: ${'the disk fills with logs; '.repeat(30)}` }] },
        ],
        { fetchedAs: undefined },
      );
    }
    assert.match(
      JSON.stringify((await deps.memory.history(key, { reader: undefined }))[0]),
      /Alertmanager opened this thread.*instance=\\"node-1\\"/,
    );
    await run(resolved());
    const history = await deps.memory.history(key, { reader: undefined });
    const seen = JSON.stringify(history);
    assert.ok(!seen.includes('follow-up 1"'), 'compaction dropped the oldest answers');
    assert.ok(seen.includes('follow-up 10'));
    assert.match(
      JSON.stringify(history[0]),
      /Alertmanager sent an update.*status resolved.*instance=\\"node-1\\".*node_filesystem_avail_bytes < 1e9/,
    );
    assert.equal(seen.match(/Alertmanager (opened|sent an update)/g)?.length, 1, 'one alert context');
    assert.deepEqual(
      history.map((m) => m.role),
      history.map((_, i) => (i % 2 === 0 ? 'user' : 'assistant')),
    );
  });

  it('investigates a firing group once per firing episode, in its thread, when the policy says so', async () => {
    const routes = loadAlertRoutes({ policy: undefined, slackChannel: 'C0ALERTS01', teamsConversation: undefined });
    routes.policy.investigate.push({ severity: ['critical'] });
    const { run, roots, investigations } = setup({ routes });
    await run(firing());
    // A second alert joins the group: it changed, but it is the same firing episode.
    const grown = firing();
    const joined = {
      ...(grown.alerts[0] as AlertNotification['alerts'][number]),
      fingerprint: 'bbbb2222',
      startsAt: '2026-11-25T10:05:00Z',
    };
    await run({ ...grown, alerts: [...grown.alerts, { ...joined, labels: { ...joined.labels, instance: 'node-2' } }] });
    await run(resolved());
    assert.equal(investigations.length, 2);
    const [first, second] = investigations;
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(chatJobId(first), chatJobId(second), 'the same episode maps to one chat job id');
    assert.deepEqual(first.replyTarget, { platform: 'slack', teamId: TEAM, channel: 'C0ALERTS01', threadTs: roots()[0]?.id });
    assert.equal(first.conversationKey, threadKey(first.replyTarget, roots()[0]?.id ?? ''));
    assert.match(first.text, /^Investigate the alert described at the start of this thread/);
    // The alert's own words reach the model only inside the untrusted-data fence.
    assert.deepEqual(readUntrustedFences(first.text), ['name: DiskFull\nsummary: Disk almost full']);
    assert.equal(first.purpose, 'alert_investigation', 'the worker pins the answer of an investigation');
    // It fires again after resolving: a new episode is a new incident, with its own thread and investigation.
    await run(firing('2026-11-25T12:00:00Z'));
    assert.equal(roots().length, 2);
    assert.notEqual(chatJobId(investigations[2] as ChatJob), chatJobId(first));
    assert.equal(investigations[2]?.replyTarget.threadTs, roots()[1]?.id);
    // A late copy of the old firing state (its old start time) does not open another.
    await run(firing());
    assert.equal(roots().length, 2);
  });

  it('a failure after the root was posted finishes the opening on that root when the job is retried', async () => {
    const { run, roots, deps, memory } = setup();
    let failures = 1;
    deps.memory = {
      ...memory,
      pin: (...args: Parameters<typeof memory.pin>) => (failures-- > 0 ? Promise.reject(new Error('redis hiccup')) : memory.pin(...args)),
    };
    const receivedAt = '2026-11-25T10:00:05Z';
    await assert.rejects(run(firing(), receivedAt), /redis hiccup/);
    await run(firing(), receivedAt);
    assert.equal(roots().length, 1);
    const key = threadKey({ platform: 'slack', teamId: TEAM, channel: 'C0ALERTS01' }, roots()[0]?.id ?? '');
    assert.match(JSON.stringify(await memory.history(key, { reader: undefined })), /DiskFull/);
    // Opened now: an unchanged repeat does nothing more.
    await run(firing());
    assert.equal(roots()[0]?.edits.length, 1);
  });

  it('a Teams destination gets its thread under the key a Teams reply in that chain computes', async () => {
    const teams = {
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      teamId: 'tenant-1',
      channel: '19:ops@thread.tacv2',
      conversationType: 'channel',
      bot: { id: '28:bot' },
    };
    const routes = loadAlertRoutes({ policy: undefined, slackChannel: undefined, teamsConversation: JSON.stringify(teams) });
    const { run, roots, memory } = setup({ routes });
    await run(firing());
    const root = roots()[0];
    assert.equal(root?.channel, teams.channel);
    const key = threadKey({ platform: 'teams', teamId: 'tenant-1', channel: teams.channel }, root?.id ?? '');
    assert.equal(key, `teams:tenant-1:19:ops@thread.tacv2:${root?.id ?? ''}`);
    assert.match(JSON.stringify(await memory.history(key, { reader: undefined })), /DiskFull/);
  });

  it('a destination that fails fails the job; the retry does not repeat the destinations already done', async () => {
    const routes = loadAlertRoutes({ policy: undefined, slackChannel: undefined, teamsConversation: undefined });
    routes.policy.routes.push({ slackChannel: 'C0FIRST001', continue: true }, { slackChannel: 'C0DOWN0001', continue: false });
    const fail = new Set(['C0DOWN0001']);
    const { run, roots } = setup({ routes, fail });
    const receivedAt = '2026-11-25T10:00:05Z';
    await assert.rejects(run(firing(), receivedAt), /C0DOWN0001 is down/);
    fail.clear();
    await run(firing(), receivedAt);
    assert.deepEqual(
      roots().map((m) => m.channel),
      ['C0FIRST001', 'C0DOWN0001'],
    );
  });
});
