/**
 * `npm run bench [name…]`: runs each benchmark (or the named ones) in turn against real Redis and, when
 * needed, the real test cluster, all on loopback; prints a table per benchmark and writes
 * `bench/results/<name>.json`. Exits 1 when a benchmark failed or one of its checks did not hold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import type { TestCluster } from '../dev/cluster/test-cluster.ts';
import { startRedisServer } from '../dev/services/redis-server.ts';
import { ackLatency } from './ack-latency.ts';
import { alertmanagerAckLatency } from './alertmanager-ack-latency.ts';
import { faultSoak } from './fault-soak.ts';
import type { Benchmark, BenchmarkResult, Table } from './benchmark.ts';
import { burst } from './burst.ts';
import { mcpOutputSize } from './mcp-output-size.ts';
import { pipelineThroughput } from './pipeline-throughput.ts';
import { redactionCost } from './redaction-cost.ts';
import { renderingCost } from './rendering-cost.ts';
import { scaleOut } from './scale-out.ts';
import { socketModeAckLatency } from './socket-mode-ack-latency.ts';
import { teamsAckLatency } from './teams-ack-latency.ts';
import { formatTable } from './support/print-table.ts';

const benchmarks: Benchmark[] = [
  ackLatency,
  teamsAckLatency,
  alertmanagerAckLatency,
  socketModeAckLatency,
  pipelineThroughput,
  scaleOut,
  mcpOutputSize,
  redactionCost,
  renderingCost,
  faultSoak,
  burst,
];
const resultsDir = join(import.meta.dirname, 'results');

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark: ${unknown.join(', ')} (known: ${benchmarks.map((b) => b.name).join(', ')})\n`);
    return 2;
  }
  const selected = names.length === 0 ? benchmarks : benchmarks.filter((b) => names.includes(b.name));
  const stops: (() => Promise<void>)[] = [];
  let failed = false;
  try {
    await startSharedServices(
      selected.some((b) => b.needsCluster),
      stops,
    );
    mkdirSync(resultsDir, { recursive: true });
    for (const benchmark of selected) {
      process.stdout.write(`\n== ${benchmark.name}: ${benchmark.title}\n`);
      const started = Date.now();
      let result: BenchmarkResult;
      try {
        result = await benchmark.run();
      } catch (error) {
        failed = true;
        process.stdout.write(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        continue;
      }
      process.stdout.write(`${render(result)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      if (result.problems.length > 0) failed = true;
      writeResult(benchmark, result);
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
  return failed ? 1 : 0;
}

/** Starts redis-server and the test cluster once, unless given, and hands them to the benchmarks as the tests do. */
async function startSharedServices(needsCluster: boolean, stops: (() => Promise<void>)[]): Promise<void> {
  if (process.env.AI4K8S_TEST_REDIS_URL === undefined) {
    const redis = await startRedisServer();
    stops.push(() => redis.stop());
    process.env.AI4K8S_TEST_REDIS_URL = redis.url;
  }
  if (needsCluster && process.env.AI4K8S_TEST_CLUSTER === undefined) {
    const { startTestCluster } = await import('../dev/cluster/start-test-cluster.ts');
    const cluster: TestCluster = await startTestCluster();
    stops.push(() => cluster.stop());
    const { kubeconfigPath, server, tokens } = cluster;
    process.env.AI4K8S_TEST_CLUSTER = JSON.stringify({ kubeconfigPath, server, tokens });
  }
}

function render(result: BenchmarkResult): string {
  const figures: Table = {
    title: 'figures (ratio = ours / floor)',
    header: ['figure', 'ours', 'floor', 'ratio', 'unit', 'floor is'],
    rows: result.figures.map((f) => [
      f.name,
      f.figure,
      f.floor ?? '-',
      f.ratio === null ? '-' : `${f.ratio.toFixed(2)}x`,
      f.unit,
      f.floorName ?? '-',
    ]),
  };
  const problems = result.problems.length === 0 ? 'checks: all passed' : `PROBLEMS:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`;
  return [figures, ...result.tables].map(formatTable).concat(problems).join('\n\n');
}

function writeResult(benchmark: Benchmark, result: BenchmarkResult): void {
  const file = join(resultsDir, `${benchmark.name}.json`);
  const environment = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: process.platform,
  };
  const body = {
    benchmark: benchmark.name,
    title: benchmark.title,
    ranAt: new Date().toISOString(),
    environment,
    problems: result.problems,
    figures: result.figures,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`benchmarks failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
