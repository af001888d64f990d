import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { onItText } from '../adapters/slack/k8s-command-text.ts';
import { CHAT_QUEUE } from '../src/queue/chat-queue.ts';
import { startFakeSlackApi } from '../dev/fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../dev/services/shared.ts';
import { slackSignatureHeaders, slashCommandBody } from '../dev/support/slack-requests.ts';
import type { Benchmark, BenchmarkResult } from './benchmark.ts';
import { countJobs } from '../dev/support/count-jobs.ts';
import { deletePrefix } from './support/delete-prefix.ts';
import {
  failedRequestProblems,
  loadInterleaved,
  perTargetTable,
  runSummary,
  type LoadPlan,
  type TargetRun,
} from './support/interleaved-load.ts';
import { latencyFigures } from './support/latency-figures.ts';
import { slackCallCounts } from './support/slack-call-counts.ts';
import { spawnLoggedProcess } from './support/spawn-logged-process.ts';
import { startBenchGateway, waitForListening, type BenchGateway } from './support/start-bench-gateway.ts';

const PLAN: LoadPlan = { ratePerSecond: 100, warmupMs: 1_000, measureMs: 10_000, rounds: 10 };
const REQUEST_TIMEOUT_MS = 5_000;
const SIGNING_SECRET = 'bench-signing-secret-4d1e';
const BOT_TOKEN = 'xoxb-bench-bot-token-9c3a';

export const ackLatency: Benchmark = {
  name: 'ack-latency',
  title: `/k8s ack latency at ${PLAN.ratePerSecond} req/s open loop, gateway vs a bare bolt app`,
  needsCluster: false,
  run: measureAckLatency,
};

async function measureAckLatency(): Promise<BenchmarkResult> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueName('bench-ack');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Bolt calls auth.test while authorising each request, so both apps need a (zero-latency) Slack API.
  const slack = await startFakeSlackApi({ token: BOT_TOKEN });
  const bareEnv = { BENCH_SIGNING_SECRET: SIGNING_SECRET, BENCH_BOT_TOKEN: BOT_TOKEN, BENCH_SLACK_API_URL: slack.url };
  const bare = spawnLoggedProcess({ script: 'bench/support/bare-bolt-server.ts', env: bareEnv });
  const identity = { BENCH_BOT_USER_ID: slack.identity.botUserId, BENCH_BOT_ID: slack.identity.botId };
  const bareKnownBot = spawnLoggedProcess({ script: 'bench/support/bare-bolt-server.ts', env: { ...bareEnv, ...identity } });
  let gateway: BenchGateway | undefined;
  try {
    const bareUrl = String((await waitForListening(bare, 'bare bolt app listening')).url);
    const bareKnownBotUrl = String((await waitForListening(bareKnownBot, 'bare bolt app listening')).url);
    gateway = await startBenchGateway({
      redisUrl,
      prefix,
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
    });
    // The fake Slack counts the calls each target makes while it is measured.
    const slackCalls = slackCallCounts(3, () => slack);
    const [floor, ours, knownBot] = await loadInterleaved({
      plan: PLAN,
      targets: [
        // The floor makes no Slack call, like the gateway; the plain-token variant shows what bolt's
        // per-request auth.test costs (the gateway avoided it with an authorize function).
        { label: 'bare bolt app', send: sendCommand(bareKnownBotUrl) },
        { label: 'gateway', send: sendCommand(gateway.url) },
        { label: 'bare, plain token', send: sendCommand(bareUrl) },
      ],
      beforeSlice: slackCalls.beforeSlice,
      afterSlice: slackCalls.afterSlice,
    });
    if (floor === undefined || ours === undefined || knownBot === undefined) throw new Error('a target was not measured');
    const jobs = await countJobs(redis, prefix, CHAT_QUEUE);
    const problems = failedRequestProblems([floor, ours, knownBot]);
    if (jobs !== ours.accepted) problems.push(`gateway: ${jobs} jobs in Redis, expected ${ours.accepted} (one per distinct command)`);
    problems.push(...gateway.warningProblems());
    const summary = (run: TargetRun, t: number) => ({ ...runSummary(run), slackCallsWhileMeasured: slackCalls.counts[t] ?? {} });
    const details = {
      rate: PLAN.ratePerSecond,
      warmupMs: PLAN.warmupMs,
      measureMs: PLAN.measureMs,
      rounds: PLAN.rounds,
      jobsEnqueued: jobs,
      ours: summary(ours, 1),
      floor: summary(floor, 0),
      barePlainTokenAuthTestPerRequest: summary(knownBot, 2),
    };
    return {
      figures: latencyFigures({ name: 'ack', ours, floor, floorName: 'bare bolt app (same receiver, ack only, no Slack call)', details }),
      tables: [perTargetTable(PLAN, [floor, ours, knownBot], [{ header: 'Slack calls', cells: slackCalls.cells() }])],
      problems,
    };
  } finally {
    await Promise.all([bare.stop(), bareKnownBot.stop(), gateway?.process.stop()]);
    await slack.stop();
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

/** Sends one distinct signed `/k8s` command per request; the answer must be the ephemeral "on it". */
function sendCommand(baseUrl: string): (phase: string, index: number) => Promise<string | undefined> {
  const tag = randomBytes(4).toString('hex');
  return async (phase, index) => {
    const body = slashCommandBody({ text: `why is checkout crashing? (${phase} ${index})`, triggerId: `${tag}.${phase}.${index}` });
    const response = await fetch(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(body, { secret: SIGNING_SECRET }) },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 200) return `HTTP ${response.status}`;
    return text.includes(onItText) ? undefined : 'unexpected ack body';
  };
}
