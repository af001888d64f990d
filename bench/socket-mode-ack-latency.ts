import { Redis } from 'ioredis';
import { onItText } from '../adapters/slack/k8s-command-text.ts';
import { CHAT_QUEUE } from '../src/queue/chat-queue.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../dev/fakes/fake-slack-api.ts';
import { startFakeSlackSocketMode, type FakeSlackSocketMode, type SocketAck } from '../dev/fakes/fake-slack-socket-mode.ts';
import { testRedisUrl, uniqueName } from '../dev/services/shared.ts';
import { slashCommandBody } from '../dev/support/slack-requests.ts';
import type { Benchmark, BenchmarkResult } from './benchmark.ts';
import { countJobs } from '../dev/support/count-jobs.ts';
import { deletePrefix } from './support/delete-prefix.ts';
import { failedRequestProblems, loadInterleaved, perTargetTable, runSummary, type LoadPlan } from './support/interleaved-load.ts';
import { latencyFigures, ratioProblems } from './support/latency-figures.ts';
import { slackCallCounts } from './support/slack-call-counts.ts';
import { spawnLoggedProcess } from './support/spawn-logged-process.ts';
import { startBenchGateway, waitForListening, type BenchGateway } from './support/start-bench-gateway.ts';

const PLAN: LoadPlan = { ratePerSecond: 100, warmupMs: 1_000, measureMs: 10_000, rounds: 10 };
const ACK_TIMEOUT_MS = 5_000;
const BOT_TOKEN = 'xoxb-bench-bot-token-9c3a';
/** Generous: the gateway adds one Redis round trip before its ack; more than this means it waits on something it should not. */
const MAX_P99_RATIO = 5;

export const socketModeAckLatency: Benchmark = {
  name: 'socket-mode-ack-latency',
  title: `Slack Socket Mode /k8s envelope-to-ack latency at ${PLAN.ratePerSecond} envelopes/s open loop, gateway vs a bare bolt app`,
  needsCluster: false,
  run: measureSocketModeAckLatency,
};

/** One fake Slack (Web API + Socket Mode endpoint) per target: the fake delivers on its newest connection. */
interface SlackSide {
  slack: FakeSlackApi;
  socket: FakeSlackSocketMode;
}

async function startSlackSide(): Promise<SlackSide> {
  const slack = await startFakeSlackApi({ token: BOT_TOKEN });
  return { slack, socket: await startFakeSlackSocketMode({ slack }) };
}

async function measureSocketModeAckLatency(): Promise<BenchmarkResult> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueName('bench-socket');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const [forFloor, forGateway] = await Promise.all([startSlackSide(), startSlackSide()]);
  const { botUserId, botId } = forFloor.slack.identity;
  const bare = spawnLoggedProcess({
    script: 'bench/support/bare-bolt-socket-mode-app.ts',
    env: {
      BENCH_APP_TOKEN: forFloor.socket.appToken,
      BENCH_BOT_TOKEN: BOT_TOKEN,
      BENCH_SLACK_API_URL: forFloor.slack.url,
      BENCH_BOT_USER_ID: botUserId,
      BENCH_BOT_ID: botId,
    },
  });
  let gateway: BenchGateway | undefined;
  try {
    await waitForListening(bare, 'bare bolt socket mode app connected');
    // SLACK_APP_TOKEN: Socket Mode; the gateway logs "listening" once Slack said hello.
    gateway = await startBenchGateway({
      redisUrl,
      prefix,
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: forGateway.socket.appToken,
        SLACK_API_URL: forGateway.slack.url,
        SLACK_BOT_USER_ID: forGateway.slack.identity.botUserId,
      },
    });
    const sides = [forFloor, forGateway];
    // Neither should call Slack while it acks: each side's fake counts the calls made while measured.
    const slackCalls = slackCallCounts(2, (t) => sides[t]?.slack);
    const [floor, ours] = await loadInterleaved({
      plan: PLAN,
      targets: [
        { label: 'bare bolt app', send: sendEnvelopes(forFloor.socket) },
        { label: 'gateway', send: sendEnvelopes(forGateway.socket) },
      ],
      beforeSlice: slackCalls.beforeSlice,
      afterSlice: slackCalls.afterSlice,
    });
    if (floor === undefined || ours === undefined) throw new Error('a target was not measured');
    const jobs = await countJobs(redis, prefix, CHAT_QUEUE);
    const problems = failedRequestProblems([floor, ours]);
    if (jobs !== ours.accepted) problems.push(`gateway: ${jobs} jobs in Redis, expected ${ours.accepted} (one per distinct command)`);
    for (const [label, { socket }] of [
      ['bare bolt app', forFloor],
      ['gateway', forGateway],
    ] as const) {
      if (socket.unexpected.length > 0) problems.push(`${label}: ${socket.unexpected.length} frames on the socket that were not acks`);
      if (socket.acks.length !== socket.delivered.length)
        problems.push(`${label}: ${socket.acks.length} acks for ${socket.delivered.length} envelopes`);
      if (socket.connections !== 1)
        problems.push(`${label}: ${socket.connections} connections opened, expected 1 (a reconnect under load?)`);
    }
    const details = {
      ...PLAN,
      jobsEnqueued: jobs,
      maxP99Ratio: MAX_P99_RATIO,
      ours: { ...runSummary(ours), slackCallsWhileMeasured: slackCalls.counts[1] },
      floor: { ...runSummary(floor), slackCallsWhileMeasured: slackCalls.counts[0] },
    };
    const figures = latencyFigures({
      name: 'ack',
      ours,
      floor,
      floorName: 'bare bolt Socket Mode app (same receiver settings, ack only, no Slack call)',
      details,
    });
    problems.push(...ratioProblems(figures, MAX_P99_RATIO, ['ack p99']));
    problems.push(...gateway.warningProblems());
    return { figures, tables: [perTargetTable(PLAN, [floor, ours], [{ header: 'Slack calls', cells: slackCalls.cells() }])], problems };
  } finally {
    await Promise.all([bare.stop(), gateway?.process.stop()]);
    for (const side of [forFloor, forGateway]) {
      await side.socket.stop();
      await side.slack.stop();
    }
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

/**
 * Delivers one distinct `/k8s` slash command envelope per request and resolves when its ack arrives (the fake
 * records acks as the frames come in, synchronously, so the time is the ack's arrival). The ack must carry the
 * ephemeral "on it".
 */
function sendEnvelopes(socket: FakeSlackSocketMode): (phase: string, index: number) => Promise<string | undefined> {
  const acked = new Map<string, SocketAck>();
  let seen = 0;
  const ackOf = (envelopeId: string) => {
    for (; seen < socket.acks.length; seen += 1) {
      const ack = socket.acks[seen];
      if (ack !== undefined) acked.set(ack.envelope_id, ack);
    }
    return acked.get(envelopeId);
  };
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  return async (phase, index) => {
    const payload = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({ text: `why is checkout crashing? (${phase} ${index})`, triggerId: `${tag}.${phase}.${index}` }),
      ),
    );
    const { envelope_id: id } = socket.deliver({ type: 'slash_commands', payload });
    let ack: SocketAck;
    try {
      ack = await socket.waitFor(() => ackOf(id), ACK_TIMEOUT_MS);
    } catch {
      return `no ack within ${ACK_TIMEOUT_MS} ms`; // the fake's message lists every envelope: too long for a count key
    } finally {
      acked.delete(id);
    }
    return ack.payload?.response_type === 'ephemeral' && ack.payload.text === onItText ? undefined : 'unexpected ack payload';
  };
}
