import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { onItText } from '../adapters/slack/k8s-command-text.ts';
import { CHAT_QUEUE } from '../src/queue/chat-queue.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../test/support/shared.ts';
import { slackSignatureHeaders, slashCommandBody } from '../test/support/slack-requests.ts';
import { figureOf, type Benchmark, type BenchmarkResult } from './benchmark.ts';
import { deletePrefix } from './support/delete-prefix.ts';
import { runOpenLoop, type Sample } from './support/open-loop.ts';
import { spawnLoggedProcess, startRoleProcess } from './support/spawn-logged-process.ts';
import { distribution, round, type Distribution } from './support/stats.ts';

const RATE_PER_SECOND = 100;
const WARMUP_MS = 1_000;
const MEASURE_MS = 10_000;
/** The measured time is cut into rounds that visit every target in turn, so a passing disturbance on this shared box hits all of them alike. */
const ROUNDS = 10;
const REQUEST_TIMEOUT_MS = 5_000;
const SIGNING_SECRET = 'bench-signing-secret-4d1e';
const BOT_TOKEN = 'xoxb-bench-bot-token-9c3a';

export const ackLatency: Benchmark = {
  name: 'ack-latency',
  title: `/k8s ack latency at ${RATE_PER_SECOND} req/s open loop, gateway vs a bare bolt app`,
  needsCluster: false,
  run: measureAckLatency,
};

interface TargetRun {
  label: string;
  requests: number;
  errors: number;
  /** Requests answered correctly, warm-up included: each must have made one job. */
  accepted: number;
  errorKinds: Record<string, number>;
  latency: Distribution;
  maxStartLagMs: number;
  p99StartLagMs: number;
  /** Slack Web API calls the target made while under load (the fake Slack counts them). */
  slackCalls: Record<string, number>;
}

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
  let gateway: Awaited<ReturnType<typeof startRoleProcess>> | undefined;
  try {
    const listening = (line: Record<string, unknown>) => line.msg === 'bare bolt app listening';
    const bareUrl = String((await bare.waitForLine(listening, 30_000)).url);
    const bareKnownBotUrl = String((await bareKnownBot.waitForLine(listening, 30_000)).url);
    // Production's log level: the gateway's per-command log line is part of what it costs.
    gateway = await startRoleProcess('gateway', {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      LOG_LEVEL: 'info',
    });
    const [floor, ours, knownBot] = await loadTargets(slack, [
      // The floor makes no Slack call, like the gateway; the plain-token variant shows what bolt's
      // per-request auth.test costs (the gateway avoided it with an authorize function).
      { label: 'bare bolt app', baseUrl: bareKnownBotUrl },
      { label: 'gateway', baseUrl: String(gateway.listening.url) },
      { label: 'bare, plain token', baseUrl: bareUrl },
    ]);
    if (floor === undefined || ours === undefined || knownBot === undefined) throw new Error('a target was not measured');
    const jobs = await countJobs(redis, prefix);
    const problems: string[] = [];
    for (const run of [floor, ours, knownBot]) {
      if (run.errors > 0) problems.push(`${run.label}: ${run.errors} of ${run.requests} requests failed: ${JSON.stringify(run.errorKinds)}`);
    }
    if (jobs !== ours.accepted) problems.push(`gateway: ${jobs} jobs in Redis, expected ${ours.accepted} (one per distinct command)`);
    const floorName = 'bare bolt app (same receiver, ack only, no Slack call)';
    const details = {
      rate: RATE_PER_SECOND,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      rounds: ROUNDS,
      jobsEnqueued: jobs,
      ours: summary(ours),
      floor: summary(floor),
      barePlainTokenAuthTestPerRequest: summary(knownBot),
    };
    return {
      figures: [
        figureOf({ name: 'ack p50', figure: round(ours.latency.p50), unit: 'ms', floor: round(floor.latency.p50), floorName, details }),
        figureOf({ name: 'ack p99', figure: round(ours.latency.p99), unit: 'ms', floor: round(floor.latency.p99), floorName, details }),
      ],
      tables: [
        {
          title: `per target (${RATE_PER_SECOND} req/s, ${MEASURE_MS / 1000} s each in ${ROUNDS} interleaved rounds, after ${WARMUP_MS / 1000} s warm-up; ms from scheduled start)`,
          header: ['target', 'requests', 'errors', 'p50', 'p90', 'p99', 'max', 'lag p99', 'lag max', 'Slack calls'],
          rows: [floor, ours, knownBot].map((run) => [
            run.label,
            run.requests,
            run.errors,
            round(run.latency.p50),
            round(run.latency.p90),
            round(run.latency.p99),
            round(run.latency.max),
            round(run.p99StartLagMs),
            round(run.maxStartLagMs),
            Object.entries(run.slackCalls).map(([method, n]) => `${method} x${n}`).join(', ') || 'none',
          ]),
        },
      ],
      problems,
    };
  } finally {
    await Promise.all([bare.stop(), bareKnownBot.stop(), gateway?.process.stop()]);
    await slack.stop();
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

/**
 * Warms each target up, then measures them in interleaved rounds (order rotating each round). Every
 * request is a distinct signed command; the fake Slack counts the calls each target makes.
 */
async function loadTargets(slack: FakeSlackApi, targets: { label: string; baseUrl: string }[]): Promise<TargetRun[]> {
  const tag = randomBytes(4).toString('hex');
  const send = (baseUrl: string, phase: string) => async (index: number) => {
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
  const runs: { warmupAccepted: number; samples: Sample[]; slackCalls: Record<string, number> }[] = [];
  for (const [t, target] of targets.entries()) {
    const warmup = await runOpenLoop({ ratePerSecond: RATE_PER_SECOND, durationMs: WARMUP_MS, send: send(target.baseUrl, `warmup-${t}`) });
    runs.push({ warmupAccepted: warmup.filter((s) => s.ok).length, samples: [], slackCalls: {} });
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let k = 0; k < targets.length; k += 1) {
      const t = (round + k) % targets.length;
      const target = targets[t];
      const run = runs[t];
      if (target === undefined || run === undefined) continue;
      slack.reset();
      const samples = await runOpenLoop({ ratePerSecond: RATE_PER_SECOND, durationMs: MEASURE_MS / ROUNDS, send: send(target.baseUrl, `round-${round}-${t}`) });
      run.samples.push(...samples);
      for (const call of slack.calls) run.slackCalls[call.method] = (run.slackCalls[call.method] ?? 0) + 1;
    }
  }
  return targets.map((target, t) => {
    const run = runs[t] ?? { warmupAccepted: 0, samples: [], slackCalls: {} };
    return { ...describeRun(target.label, run.samples, run.warmupAccepted), slackCalls: run.slackCalls };
  });
}

function describeRun(label: string, samples: Sample[], warmupAccepted: number): Omit<TargetRun, 'slackCalls'> {
  const errorKinds: Record<string, number> = {};
  for (const sample of samples) if (sample.error !== undefined) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  return {
    label,
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    accepted: warmupAccepted + samples.filter((s) => s.ok).length,
    errorKinds,
    latency: distribution(samples.map((s) => s.latencyMs)),
    maxStartLagMs: Math.max(0, ...samples.map((s) => s.startLagMs)),
    p99StartLagMs: distribution(samples.map((s) => s.startLagMs)).p99,
  };
}

function summary(run: TargetRun): Record<string, unknown> {
  const { p50, p90, p99, max, mean } = run.latency;
  return {
    requests: run.requests,
    errors: run.errors,
    errorKinds: run.errorKinds,
    p50: round(p50),
    p90: round(p90),
    p99: round(p99),
    max: round(max),
    mean: round(mean),
    maxStartLagMs: round(run.maxStartLagMs),
    p99StartLagMs: round(run.p99StartLagMs),
    slackCallsWhileMeasured: run.slackCalls,
  };
}

async function countJobs(redis: Redis, prefix: string): Promise<number> {
  const queue = new Queue(CHAT_QUEUE, { connection: redis, prefix });
  try {
    const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
