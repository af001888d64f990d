import type { MessagesRequest } from '../dev/fakes/fake-anthropic-api.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure } from './benchmark.ts';
import { conversationTurn } from './support/conversation-model.ts';
import { runConversations } from './support/run-conversations.ts';
import { startBenchServices } from './support/start-bench-services.ts';
import { distribution, percentile, round } from './support/stats.ts';
import { BENCH_SIGNING_SECRET } from './support/role-env.ts';

const WORKER_COUNTS = [1, 2, 4] as const;
/**
 * Zero-latency fakes show what the queue, Redis and the CPU allow. With model turns of seconds a worker on the
 * default WORKER_CONCURRENCY (200) answers any burst this machine can send in about one conversation's time, so
 * extra workers have nothing to do and "efficiency" would only measure the offered load; the model-bound mode
 * therefore gives each worker few slots (`workerConcurrency`) and more conversations than one worker holds, so the
 * workers' slots are what bounds throughput and the ratio shows whether N workers really take N times the work.
 */
interface Mode {
  name: string;
  turnMs: number;
  conversations: number;
  /** WORKER_CONCURRENCY of each worker; undefined: the product's default. */
  workerConcurrency?: number;
  /**
   * Lowest share of the attainable throughput this mode must reach with 2 and 4 workers; null: reported only. The
   * attainable throughput with N workers is N × one worker's, or what the machine's CPU gave N workers in the
   * zero-latency mode of the same run if that is lower: on one small machine every worker shares the same cores
   * (in production each replica has its own), so past that point more workers cannot help and efficiency drops
   * for a reason that is not the queue's.
   */
  minEfficiency: number | null;
  /** This mode's throughput is the CPU-bound ceiling the other modes are held to. */
  cpuBound?: boolean;
}
const MODES: readonly Mode[] = [
  // CPU-bound on a small machine: every process shares the same cores, so this shows where the box (not Redis) stops.
  { name: 'zero-latency model', turnMs: 0, conversations: 80, minEfficiency: null, cpuBound: true },
  { name: 'model turn 2 s, 8 slots per worker', turnMs: 2_000, conversations: 96, workerConcurrency: 8, minEfficiency: 0.75 },
];
const SENDERS = 16;
const DEADLINE_MS = 120_000;
const SIGNING_SECRET = BENCH_SIGNING_SECRET;

export const scaleOut: Benchmark = {
  name: 'scale-out',
  title: 'throughput and p95 time-to-answer with 1, 2 and 4 worker processes on one Redis (scaling efficiency)',
  needsCluster: true,
  run: measureScaleOut,
};

async function measureScaleOut(): Promise<BenchmarkResult> {
  const services = await startBenchServices({ label: 'bench-scale', logLevel: 'info' });
  const { slack, model } = services;
  const problems: string[] = [];
  const rows: (string | number)[][] = [];
  const figures: Figure[] = [];
  try {
    // Compiled, as the image runs them: under tsx each process transpiles on start, tens of seconds on a loaded box.
    await services.startRole('mcp', { compiled: true });
    const gateway = await services.startRole('gateway', { compiled: true });
    const gatewayUrl = String(gateway.listening.url);
    let first = 0;
    const ceiling = new Map<number, number>();
    for (const mode of MODES) {
      const throughput = new Map<number, number>();
      for (const workers of WORKER_COUNTS) {
        const env: Record<string, string> =
          mode.workerConcurrency === undefined ? {} : { WORKER_CONCURRENCY: String(mode.workerConcurrency) };
        const started = await Promise.all(Array.from({ length: workers }, () => services.startRole('worker', { compiled: true, env })));
        const concurrency = Number(started[0]?.listening.concurrency);
        const turn = async (request: MessagesRequest) => {
          if (mode.turnMs > 0) await new Promise((resolve) => setTimeout(resolve, mode.turnMs));
          return conversationTurn(request);
        };
        model.script(...Array.from({ length: 2 * mode.conversations }, () => turn));
        slack.reset();
        const run = await runConversations({
          gatewayUrl,
          slack,
          first,
          count: mode.conversations,
          senders: SENDERS,
          deadlineMs: DEADLINE_MS,
          signingSecret: SIGNING_SECRET,
        });
        first += mode.conversations;
        await Promise.all(started.map((worker) => worker.process.stop()));
        problems.push(...run.problems.map((p) => `${mode.name}, ${workers} workers: ${p}`));
        const perSecond = (run.answered * 1000) / Math.max(1, run.wallMs);
        throughput.set(workers, perSecond);
        const latency = distribution(run.latenciesMs);
        const p95 = percentile(
          [...run.latenciesMs].sort((a, b) => a - b),
          95,
        );
        if (mode.cpuBound === true) ceiling.set(workers, perSecond);
        const linear = workers * (throughput.get(1) ?? perSecond);
        const efficiency = perSecond / linear;
        const attainable = mode.cpuBound === true ? linear : Math.min(linear, ceiling.get(workers) ?? Number.POSITIVE_INFINITY);
        const ofAttainable = perSecond / attainable;
        if (mode.minEfficiency !== null && workers > 1 && ofAttainable < mode.minEfficiency) {
          problems.push(
            `${mode.name}, ${workers} workers: ${round(perSecond)}/s is ${ofAttainable.toFixed(2)} of the attainable ${round(attainable)}/s, under ${mode.minEfficiency}`,
          );
        }
        rows.push([
          mode.name,
          workers,
          concurrency,
          run.answered,
          round(perSecond),
          round(latency.p50),
          round(p95),
          `${Math.round(efficiency * 100)}%`,
          round(attainable),
          `${Math.round(ofAttainable * 100)}%`,
        ]);
        if (workers > 1) {
          const one = throughput.get(1) ?? 0;
          figures.push(
            figureOf({
              name: `throughput, ${workers} workers, ${mode.name}`,
              figure: round(perSecond),
              unit: 'conversations/s',
              floor: round(workers * one),
              floorName: `${workers} × one worker's throughput (ratio = scaling efficiency)`,
              details: {
                workers,
                workerConcurrency: concurrency,
                attainablePerSecond: round(attainable),
                ofAttainable: round(ofAttainable),
                conversations: mode.conversations,
                turnMs: mode.turnMs,
                wallMs: round(run.wallMs),
                latencyMs: { p50: round(latency.p50), p95: round(p95), p99: round(latency.p99) },
              },
            }),
          );
        }
      }
    }
  } finally {
    await services.stop();
  }
  return {
    figures,
    tables: [
      {
        title: `${SENDERS} concurrent senders, one Redis, one gateway, one MCP server (all compiled)`,
        header: [
          'model',
          'workers',
          'slots each',
          'answered',
          'per s',
          'p50 ms',
          'p95 ms',
          'efficiency',
          'attainable per s',
          'of attainable',
        ],
        rows,
      },
    ],
    problems,
  };
}
