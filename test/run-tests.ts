/**
 * The test command (`npm test`): starts the shared services once (real redis-server and the real test
 * cluster), runs every test file with node's test runner, and stops the services.
 * `npm test -- test/config` runs only the files under the given paths.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startRedisServer, type TestRedis } from './support/redis-server.ts';
import type { TestCluster } from './cluster/test-cluster.ts';

const root = join(import.meta.dirname, '..');

function findTests(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .flatMap((name) => findTests(join(path, name)))
    .sort();
}

async function main(): Promise<number> {
  const targets = process.argv.slice(2);
  const files = (targets.length > 0 ? targets : ['test']).flatMap((t) => findTests(join(root, t)));
  if (files.length === 0) {
    process.stderr.write(`no test files under ${targets.join(' ')}\n`);
    return 1;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  const stops: (() => Promise<void>)[] = [];
  try {
    if (env.AI4K8S_TEST_REDIS_URL === undefined) {
      const redis: TestRedis = await startRedisServer();
      stops.push(() => redis.stop());
      env.AI4K8S_TEST_REDIS_URL = redis.url;
      process.stdout.write(`# redis-server at ${redis.url}\n`);
    }
    if (env.AI4K8S_TEST_CLUSTER === undefined) {
      const started = Date.now();
      const { startTestCluster } = await import('./cluster/start-test-cluster.ts');
      const cluster: TestCluster = await startTestCluster();
      stops.push(() => cluster.stop());
      const { kubeconfigPath, server, tokens } = cluster;
      env.AI4K8S_TEST_CLUSTER = JSON.stringify({ kubeconfigPath, server, tokens });
      process.stdout.write(`# test cluster at ${cluster.server} (${Date.now() - started} ms)\n`);
    }
    const concurrency = env.AI4K8S_TEST_CONCURRENCY ?? '2';
    const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec'];
    const child = spawn(process.execPath, [...args, ...files.map((f) => relative(root, f))], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test run failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
