import { Redis } from 'ioredis';
import { testCluster } from '../dev/cluster/shared-cluster.ts';
import { startFakeAnthropicApi, type MessagesRequest } from '../dev/fakes/fake-anthropic-api.ts';
import { startFakeSlackApi } from '../dev/fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../dev/services/shared.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure } from './benchmark.ts';
import { conversationTurn } from './support/conversation-model.ts';
import { deletePrefix } from './support/delete-prefix.ts';
import { runConversations } from './support/run-conversations.ts';
import { startRoleProcess } from './support/spawn-logged-process.ts';
import { distribution, percentile, round } from './support/stats.ts';
import { BENCH_BOT_TOKEN, BENCH_MODEL_KEY, BENCH_SIGNING_SECRET, roleEnv } from './support/role-env.ts';

const WORKER_COUNTS = [1, 2, 4] as const;
/** Zero-latency fakes show what the queue and Redis allow; a model turn of seconds shows what a deployment sees. */
const MODES = [
  { name: 'zero-latency model', turnMs: 0, conversations: 80 },
  { name: 'model turn 2 s', turnMs: 2_000, conversations: 32 },
] as const;
const SENDERS = 16;
const DEADLINE_MS = 120_000;
const SIGNING_SECRET = BENCH_SIGNING_SECRET;
const BOT_TOKEN = BENCH_BOT_TOKEN;
const MODEL_KEY = BENCH_MODEL_KEY;

export const scaleOut: Benchmark = {
  name: 'scale-out',
  title: 'throughput and p95 time-to-answer with 1, 2 and 4 worker processes on one Redis (scaling efficiency)',
  needsCluster: true,
  run: measureScaleOut,
};

async function measureScaleOut(): Promise<BenchmarkResult> {
  const [redisUrl, cluster, slack, model] = await Promise.all([testRedisUrl(), testCluster(), startFakeSlackApi({ token: BOT_TOKEN }), startFakeAnthropicApi({ apiKey: MODEL_KEY, requireTools: true })]);
  const prefix = uniqueName('bench-scale');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const env = roleEnv({ redisUrl, prefix, slackUrl: slack.url, modelUrl: model.url, kubeconfigPath: cluster.kubeconfigPath, logLevel: 'warn' });
  const stops: (() => Promise<void>)[] = [];
  const problems: string[] = [];
  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  try {
    const mcp = await startRoleProcess('mcp', { ...env, LOG_LEVEL: 'info' });
    stops.push(() => mcp.process.stop());
    env.MCP_URL = String(mcp.listening.url);
    const gateway = await startRoleProcess('gateway', { ...env, LOG_LEVEL: 'info' });
    stops.push(() => gateway.process.stop());
    const gatewayUrl = String(gateway.listening.url);
    let first = 0;
    for (const mode of MODES) {
      const throughput = new Map<number, number>();
      for (const workers of WORKER_COUNTS) {
        const started = await Promise.all(Array.from({ length: workers }, () => startRoleProcess('worker', { ...env, LOG_LEVEL: 'info' })));
        const turn = async (request: MessagesRequest) => {
          if (mode.turnMs > 0) await new Promise((resolve) => setTimeout(resolve, mode.turnMs));
          return conversationTurn(request);
        };
        model.script(...Array.from({ length: 2 * mode.conversations }, () => turn));
        slack.reset();
        const run = await runConversations({ gatewayUrl, slack, first, count: mode.conversations, senders: SENDERS, deadlineMs: DEADLINE_MS, signingSecret: SIGNING_SECRET });
        first += mode.conversations;
        await Promise.all(started.map((worker) => worker.process.stop()));
        problems.push(...run.problems.map((p) => `${mode.name}, ${workers} workers: ${p}`));
        const perSecond = (run.answered * 1000) / Math.max(1, run.wallMs);
        throughput.set(workers, perSecond);
        const latency = distribution(run.latenciesMs);
        const p95 = percentile([...run.latenciesMs].sort((a, b) => a - b), 95);
        const efficiency = perSecond / (workers * (throughput.get(1) ?? perSecond));
        rows.push([mode.name, workers, run.answered, round(perSecond), round(latency.p50), round(p95), `${Math.round(efficiency * 100)}%`]);
        if (workers > 1) {
          const one = throughput.get(1) ?? 0;
          figures.push(
            figureOf({
              name: `throughput, ${workers} workers, ${mode.name}`,
              figure: round(perSecond),
              unit: 'conversations/s',
              floor: round(workers * one),
              floorName: `${workers} × one worker's throughput (ratio = scaling efficiency)`,
              details: { workers, conversations: mode.conversations, turnMs: mode.turnMs, wallMs: round(run.wallMs), latencyMs: { p50: round(latency.p50), p95: round(p95), p99: round(latency.p99) } },
            }),
          );
        }
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await Promise.all([slack.stop(), model.stop()]);
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  return {
    figures,
    tables: [{ title: `${SENDERS} concurrent senders, WORKER_CONCURRENCY default, one Redis, one gateway, one MCP server`, header: ['model', 'workers', 'answered', 'per s', 'p50 ms', 'p95 ms', 'efficiency'], rows }],
    problems,
  };
}
