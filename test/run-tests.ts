/**
 * The test command. Test files fall into two lanes (test/runner/services-needed.ts): the unit lane, files that reach
 * no service support module, and the service lane, files that need Redis, the test cluster, Chromium or
 * Prometheus/Alertmanager (and the few that declare `// test-lane: service`: minutes of CPU). `npm test` runs the unit lane and starts nothing; `npm run test:all` runs the unit lane,
 * then (if it passed) the service lane with a real redis-server and the real test cluster started once.
 * `npm test -- test/config test/e2e/alerts.test.ts` runs the given files in whichever lanes they belong to.
 * `--lane unit|service|all` picks lanes (default: unit without paths, all with paths).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { servicesNeeded } from './runner/services-needed.ts';
import type { TestService } from './runner/service-modules.ts';
import { startRedisServer, type TestRedis } from '../dev/services/redis-server.ts';
import type { TestCluster } from '../dev/cluster/test-cluster.ts';

const root = join(import.meta.dirname, '..');
const LANES = ['unit', 'service', 'all'] as const;
type LaneChoice = (typeof LANES)[number];

function findTests(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .flatMap((name) => findTests(join(path, name)))
    .sort();
}

function parseArgs(args: readonly string[]): { lane: LaneChoice; targets: string[] } {
  const targets: string[] = [];
  let lane: LaneChoice | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = arg === '--lane' ? args[++i] : arg.startsWith('--lane=') ? arg.slice('--lane='.length) : undefined;
    if (value === undefined && !arg.startsWith('--')) targets.push(arg);
    else if (value !== undefined && (LANES as readonly string[]).includes(value)) lane = value as LaneChoice;
    else
      throw new Error(`unknown argument ${arg}${value === undefined ? '' : ` ${value}`}: expected --lane unit|service|all and test paths`);
  }
  return { lane: lane ?? (targets.length > 0 ? 'all' : 'unit'), targets };
}

/** Runs files with node's test runner; resolves to its exit code. */
async function runFiles(files: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const concurrency = env.AI4K8S_TEST_CONCURRENCY ?? '2';
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec'];
  const child = spawn(process.execPath, [...args, ...files.map((f) => relative(root, f))], { cwd: root, env, stdio: 'inherit' });
  return new Promise<number>((done) => child.once('exit', (code) => done(code ?? 1)));
}

/** The unit lane: no service addresses in the environment, and service starters refuse to run (AI4K8S_TEST_LANE=unit). */
async function runUnitLane(files: readonly string[]): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env, AI4K8S_TEST_LANE: 'unit' };
  delete env.AI4K8S_TEST_REDIS_URL;
  delete env.AI4K8S_TEST_CLUSTER;
  const started = Date.now();
  process.stdout.write(`# unit lane: ${files.length} files, no services\n`);
  const code = await runFiles(files, env);
  process.stdout.write(`# unit lane: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return code;
}

/** The service lane: starts redis-server and the test cluster once if a file needs them, and stops them after. */
async function runServiceLane(files: readonly string[], needs: ReadonlySet<TestService>): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env, AI4K8S_TEST_LANE: 'service' };
  const stops: (() => Promise<void>)[] = [];
  const started = Date.now();
  process.stdout.write(`# service lane: ${files.length} files, needing ${[...needs].sort().join(', ') || 'no service'}\n`);
  try {
    if (needs.has('redis') && env.AI4K8S_TEST_REDIS_URL === undefined) {
      const redis: TestRedis = await startRedisServer();
      stops.push(() => redis.stop());
      env.AI4K8S_TEST_REDIS_URL = redis.url;
      process.stdout.write(`# redis-server at ${redis.url}\n`);
    }
    if (needs.has('cluster') && env.AI4K8S_TEST_CLUSTER === undefined) {
      const clusterStarted = Date.now();
      const { startTestCluster } = await import('../dev/cluster/start-test-cluster.ts');
      const cluster: TestCluster = await startTestCluster();
      stops.push(() => cluster.stop());
      const { kubeconfigPath, server, tokens } = cluster;
      env.AI4K8S_TEST_CLUSTER = JSON.stringify({ kubeconfigPath, server, tokens });
      process.stdout.write(`# test cluster at ${cluster.server} (${Date.now() - clusterStarted} ms)\n`);
    }
    const code = await runFiles(files, env);
    process.stdout.write(`# service lane: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
    return code;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const { lane, targets } = parseArgs(process.argv.slice(2));
  const files = (targets.length > 0 ? targets : ['test']).flatMap((t) => findTests(resolve(root, t)));
  if (files.length === 0) {
    process.stderr.write(`no test files under ${targets.join(' ')}\n`);
    return 1;
  }
  const needs = servicesNeeded({ files, root });
  const unit = files.filter((file) => needs.get(file)?.lane === 'unit');
  const service = files.filter((file) => !unit.includes(file));
  if (lane !== 'service' && unit.length > 0) {
    const code = await runUnitLane(unit);
    // The fast lane runs first: a failure there stops the run before the slow lane starts anything.
    if (code !== 0) return code;
  }
  if (lane !== 'unit' && service.length > 0) {
    return runServiceLane(service, new Set(service.flatMap((file) => [...(needs.get(file)?.needs ?? [])])));
  }
  if (lane === 'unit' && unit.length === 0)
    process.stdout.write(`# no unit-lane files among ${targets.join(' ')} (run them with --lane all)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test run failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
