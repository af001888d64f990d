import { runFaultSoak, type FaultSoakResult } from '../dev/soak/run-fault-soak.ts';
import { figureOf, type Benchmark, type BenchmarkResult } from './benchmark.ts';
import { distribution, percentile, round } from './support/stats.ts';

const QUESTIONS = 110;
const INTERVAL_MS = 300;
const WORKERS = 3;
const MODEL_LATENCY_MS = 300;

export const faultSoak: Benchmark = {
  name: 'fault-soak',
  title: `${QUESTIONS} slash commands through processes while workers are killed and MCP, Redis and the API server restart, against the same run without faults`,
  // A cluster of its own: the run restarts its API server.
  needsCluster: false,
  run: measureFaultSoak,
};

async function measureFaultSoak(): Promise<BenchmarkResult> {
  const { startTestCluster } = await import('../dev/cluster/start-test-cluster.ts');
  const cluster = await startTestCluster();
  try {
    const common = {
      questions: QUESTIONS,
      intervalMs: INTERVAL_MS,
      workers: WORKERS,
      cluster,
      modelLatencyMs: MODEL_LATENCY_MS,
      drainTimeoutMs: 120_000,
    };
    const floor = await runFaultSoak({ ...common, faults: false });
    const faults = await runFaultSoak({ ...common, faults: true, restartableCluster: cluster });
    const floorName = 'the same questions, roles and fakes, no faults';
    const latency = { faults: distribution(faults.answerMs), floor: distribution(floor.answerMs) };
    const details = {
      questions: QUESTIONS,
      intervalMs: INTERVAL_MS,
      workers: WORKERS,
      modelLatencyMs: MODEL_LATENCY_MS,
      acks: { faults: ackCounts(faults), floor: ackCounts(floor) },
      answered: { faults: faults.answerMs.length, floor: floor.answerMs.length },
      timeToAnswerMs: { faults: rounded(latency.faults), floor: rounded(latency.floor) },
      events: faults.events,
    };
    return {
      figures: [
        figureOf({ name: 'drain time', figure: round(faults.drainMs), unit: 'ms', floor: round(floor.drainMs), floorName, details }),
        figureOf({
          name: 'time to answer p50',
          figure: round(latency.faults.p50),
          unit: 'ms',
          floor: round(latency.floor.p50),
          floorName,
          details,
        }),
        figureOf({
          name: 'time to answer p95',
          figure: round(percentile95(faults.answerMs)),
          unit: 'ms',
          floor: round(percentile95(floor.answerMs)),
          floorName,
          details,
        }),
      ],
      tables: [
        {
          title: 'per run (acks as the user read them; answers counted in the fake Slack)',
          header: [
            'run',
            'queued',
            'not started',
            'unconfirmed',
            'ack failed',
            'answered',
            'drain ms',
            'p50 ms',
            'p95 ms',
            'max ms',
            'problems',
          ],
          rows: [
            [
              'without faults (floor)',
              ...Object.values(ackCounts(floor)),
              floor.answerMs.length,
              round(floor.drainMs),
              round(latency.floor.p50),
              round(percentile95(floor.answerMs)),
              round(latency.floor.max),
              floor.problems.length,
            ],
            [
              'with faults',
              ...Object.values(ackCounts(faults)),
              faults.answerMs.length,
              round(faults.drainMs),
              round(latency.faults.p50),
              round(percentile95(faults.answerMs)),
              round(latency.faults.max),
              faults.problems.length,
            ],
          ],
        },
        { title: 'faults injected (seconds since the first question)', header: ['event'], rows: faults.events.map((e) => [e]) },
      ],
      problems: [
        ...floor.problems.slice(0, 5).map((p) => `without faults: ${p}`),
        ...faults.problems.slice(0, 10).map((p) => `with faults: ${p}`),
      ],
    };
  } finally {
    await cluster.stop();
  }
}

function ackCounts(result: FaultSoakResult): Record<'queued' | 'not_started' | 'unconfirmed' | 'failed', number> {
  const count = (kind: string) => result.outcomes.filter((o) => o.ack === kind).length;
  return { queued: count('queued'), not_started: count('not_started'), unconfirmed: count('unconfirmed'), failed: count('failed') };
}

const percentile95 = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    95,
  );

function rounded(d: ReturnType<typeof distribution>): Record<string, number> {
  return { count: d.count, p50: round(d.p50), p90: round(d.p90), p99: round(d.p99), max: round(d.max) };
}
