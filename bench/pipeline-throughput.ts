import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CHAT_QUEUE } from '../src/queue/chat-queue.ts';
import { figureOf, type Benchmark, type BenchmarkResult } from './benchmark.ts';
import { runConversations } from './support/run-conversations.ts';
import { measureBareQueue } from './support/bare-queue-throughput.ts';
import { conversationTurn } from './support/conversation-model.ts';
import { machineBusyCpuMs, processCpuMs } from './support/process-cpu.ts';
import type { LogLine } from './support/spawn-logged-process.ts';
import { startBenchServices, type RoleProcess } from './support/start-bench-services.ts';
import { distribution, round } from './support/stats.ts';
import { redisKeys } from '../src/queue/redis-keys.ts';
import { BENCH_SIGNING_SECRET } from './support/role-env.ts';

const CONVERSATIONS = 200;
const WARMUP_CONVERSATIONS = 8;
const SENDERS = 8;
const DEADLINE_MS = 90_000;
const SIGNING_SECRET = BENCH_SIGNING_SECRET;
const STAGES = ['queueWaitMs', 'mcpConnectMs', 'modelMs', 'toolsMs', 'chatMs', 'totalMs'] as const;

export const pipelineThroughput: Benchmark = {
  name: 'pipeline-throughput',
  title: `${CONVERSATIONS} conversations end to end (two tool calls each), zero-latency fakes, one worker process`,
  needsCluster: true,
  run: measurePipeline,
};

async function measurePipeline(): Promise<BenchmarkResult> {
  const services = await startBenchServices({ label: 'bench-pipeline', logLevel: 'info' });
  const { redisUrl, slack, model, redis, prefix } = services;
  try {
    // Each role in its own process, as deployed; the worker's log is read for its per-answer timings.
    const mcp = await services.startRole('mcp');
    const keep = (line: LogLine) => line.msg === 'answered' || line.level === 'warn' || line.level === 'error' || line.level === 'fatal';
    const worker = await services.startRole('worker', { keep });
    const gateway = await services.startRole('gateway');
    const concurrency = Number(worker.listening.concurrency);
    const gatewayUrl = String(gateway.listening.url);
    model.script(...Array.from({ length: 2 * (WARMUP_CONVERSATIONS + CONVERSATIONS) }, () => conversationTurn));

    const answeredLines = () => worker.process.lines.filter((line) => line.msg === 'answered');
    const warmup = await runConversations({
      gatewayUrl,
      slack,
      first: 0,
      count: WARMUP_CONVERSATIONS,
      senders: SENDERS,
      deadlineMs: DEADLINE_MS,
      signingSecret: SIGNING_SECRET,
    });
    await waitUntil(() => answeredLines().length >= WARMUP_CONVERSATIONS, 10_000);
    slack.reset();
    const processes = { worker, mcp, gateway };
    const cpuBefore = cpuOf(processes);
    const measured = await runConversations({
      gatewayUrl,
      slack,
      first: WARMUP_CONVERSATIONS,
      count: CONVERSATIONS,
      senders: SENDERS,
      deadlineMs: DEADLINE_MS,
      signingSecret: SIGNING_SECRET,
    });
    const cpuAfter = cpuOf(processes);
    await waitUntil(() => answeredLines().length >= WARMUP_CONVERSATIONS + CONVERSATIONS, 10_000);
    const timings = answeredLines()
      .slice(WARMUP_CONVERSATIONS)
      .map((line) => (line.timings ?? {}) as Record<string, number>);
    const floor = await measureBareQueue({ redisUrl, jobs: CONVERSATIONS, concurrency, senders: SENDERS, timeoutMs: 30_000 });

    const problems = [...warmup.problems, ...measured.problems];
    const jobs = await jobCounts(redis, prefix);
    const total = WARMUP_CONVERSATIONS + CONVERSATIONS;
    if (jobs.completed !== total || jobs.failed !== 0) problems.push(`queue: ${JSON.stringify(jobs)}, expected ${total} completed`);
    if (model.requests.length !== 2 * total)
      problems.push(`model: ${model.requests.length} requests, expected ${2 * total} (two turns a conversation)`);
    if (model.violations.length > 0) problems.push(`model: ${model.violations.length} violations, first: ${model.violations[0]?.message}`);
    const noisy = worker.process.lines.filter((line) => line.msg !== 'answered');
    if (noisy.length > 0) problems.push(`worker logged ${noisy.length} warnings/errors, first: ${JSON.stringify(noisy[0])}`);
    if (floor.completed !== CONVERSATIONS) problems.push(`bare queue: ${floor.completed} of ${CONVERSATIONS} jobs completed`);

    const throughput = (measured.answered * 1000) / measured.wallMs;
    const floorThroughput = (floor.completed * 1000) / floor.wallMs;
    const e2e = distribution(measured.latenciesMs);
    const floorLatency = distribution(floor.latenciesMs);
    const stages = Object.fromEntries(STAGES.map((stage) => [stage, distribution(timings.map((t) => t[stage] ?? Number.NaN))]));
    const floorName = 'same jobs through the same BullMQ queue and Redis, no-op processor';
    const details = {
      conversations: CONVERSATIONS,
      warmupConversations: WARMUP_CONVERSATIONS,
      workerProcesses: 1,
      workerConcurrency: concurrency,
      senders: SENDERS,
      wallMs: round(measured.wallMs),
      answered: measured.answered,
      floorWallMs: round(floor.wallMs),
      e2eLatencyMs: rounded(e2e),
      floorLatencyMs: rounded(floorLatency),
      stagesMs: Object.fromEntries(Object.entries(stages).map(([k, d]) => [k, rounded(d)])),
      cpuMs: Object.fromEntries(Object.keys(cpuAfter).map((name) => [name, (cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)])),
    };
    return {
      figures: [
        figureOf({
          name: 'throughput',
          figure: round(throughput),
          unit: 'conversations/s',
          floor: round(floorThroughput),
          floorName,
          details,
        }),
        figureOf({ name: 'e2e latency p50', figure: round(e2e.p50), unit: 'ms', floor: round(floorLatency.p50), floorName, details }),
        figureOf({ name: 'e2e latency p99', figure: round(e2e.p99), unit: 'ms', floor: round(floorLatency.p99), floorName, details }),
      ],
      tables: [
        {
          title: `run: ${CONVERSATIONS} conversations, 1 worker process, WORKER_CONCURRENCY=${concurrency}, ${SENDERS} concurrent senders`,
          header: ['pipeline', 'items', 'wall ms', 'per s', 'latency p50', 'p99'],
          rows: [
            [
              'product (slash command → answer in thread)',
              measured.answered,
              round(measured.wallMs),
              round(throughput),
              round(e2e.p50),
              round(e2e.p99),
            ],
            [
              'bare queue (add → no-op completed)',
              floor.completed,
              round(floor.wallMs),
              round(floorThroughput),
              round(floorLatency.p50),
              round(floorLatency.p99),
            ],
          ],
        },
        {
          title: `where the time goes (worker 'answered' timings, ${timings.length} answers, ms)`,
          header: ['stage', 'mean', 'p50', 'p99', 'max', 'share of totalMs'],
          rows: STAGES.map((stage) => {
            const d = stages[stage];
            const share =
              stage === 'totalMs' || stage === 'queueWaitMs' ? '-' : `${Math.round((100 * (d?.mean ?? 0)) / (stages.totalMs?.mean ?? 1))}%`;
            return [
              stage,
              round(d?.mean ?? Number.NaN),
              round(d?.p50 ?? Number.NaN),
              round(d?.p99 ?? Number.NaN),
              round(d?.max ?? Number.NaN),
              share,
            ];
          }),
        },
        {
          title: 'CPU used during the measured run (whole machine includes redis-server, kube-apiserver, etcd)',
          header: ['process', 'CPU ms', '% of one core', 'CPU ms per conversation'],
          rows: Object.keys(cpuAfter).map((name) => {
            const used = (cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0);
            return [name, used, Math.round((100 * used) / measured.wallMs), round(used / Math.max(1, measured.answered))];
          }),
        },
      ],
      problems,
    };
  } finally {
    await services.stop();
  }
}

/** CPU ms of each role process and of this one (fakes, fake kubelet, senders). */
function cpuOf(roles: Record<string, RoleProcess>): Record<string, number> {
  const cpu: Record<string, number> = {};
  for (const [name, role] of Object.entries(roles)) cpu[name] = processCpuMs(role.process.child.pid) ?? Number.NaN;
  const own = process.cpuUsage();
  cpu['bench (fakes, kubelet, senders)'] = Math.round((own.user + own.system) / 1000);
  cpu[`whole machine (${availableParallelism()} cores)`] = machineBusyCpuMs() ?? Number.NaN;
  return cpu;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(20);
}

async function jobCounts(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const queue = new Queue(CHAT_QUEUE, { connection: redis, prefix: redisKeys(prefix).queuePrefix });
  try {
    return await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
  } finally {
    await queue.close();
  }
}

function rounded(d: ReturnType<typeof distribution>): Record<string, number> {
  return { count: d.count, mean: round(d.mean), p50: round(d.p50), p90: round(d.p90), p99: round(d.p99), max: round(d.max) };
}
