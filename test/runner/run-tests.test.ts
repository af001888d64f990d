// test-needs: redis
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');

/** Runs the test command on the given files as `npm test -- <files>` would, without the parent's lane or services. */
async function runTests(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const env: Record<string, string | undefined> = { ...process.env, ...extraEnv };
  for (const key of ['AI4K8S_TEST_LANE', 'AI4K8S_TEST_REDIS_URL', 'AI4K8S_TEST_CLUSTER']) if (!(key in extraEnv)) delete env[key];
  // Set by node's test runner in the files it runs; left in place, the nested runner would skip every file.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/run-tests.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((done) => child.once('exit', (exit) => done(exit ?? 1)));
  return { code, output };
}

describe('test/run-tests.ts: the lanes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-run-tests-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Relative imports from the temp dir into the repository, so the runner's import scan sees them.
  const support = relative(dir, join(ROOT, 'dev/services'));

  it('runs a unit-lane file without service addresses, even when the caller has them', async () => {
    const file = join(dir, 'unit.test.ts');
    writeFileSync(
      file,
      `import assert from 'node:assert/strict';\nimport { it } from 'node:test';\n` +
        `it('sees the unit lane', () => {\n  assert.equal(process.env.AI4K8S_TEST_LANE, 'unit');\n` +
        `  assert.equal(process.env.AI4K8S_TEST_REDIS_URL, undefined);\n  assert.equal(process.env.AI4K8S_TEST_CLUSTER, undefined);\n});\n`,
    );
    const { code, output } = await runTests([file], { AI4K8S_TEST_REDIS_URL: 'redis://127.0.0.1:1', AI4K8S_TEST_CLUSTER: '{}' });
    assert.equal(code, 0, output);
    assert.match(output, /# unit lane: 1 files, no services/);
    assert.match(output, /✔ sees the unit lane/);
    assert.doesNotMatch(output, /# service lane|# redis-server at|# test cluster at/);
  });

  it('fails loudly when a unit-lane file starts Redis behind the import scan', async () => {
    const file = join(dir, 'sneaky.test.ts');
    // A computed specifier: the scan cannot see it, so the file lands in the unit lane.
    writeFileSync(
      file,
      `import { it } from 'node:test';\n` +
        `it('starts redis', async () => {\n  const path = ['${support}', 'redis-server.ts'].join('/');\n` +
        `  const { startRedisServer } = (await import(path)) as { startRedisServer(): Promise<{ stop(): Promise<void> }> };\n` +
        `  const redis = await startRedisServer();\n  await redis.stop();\n});\n`,
    );
    const { code, output } = await runTests([file]);
    assert.notEqual(code, 0, output);
    assert.match(output, /# unit lane: 1 files/);
    assert.match(output, /✖ starts redis/);
    assert.match(output, /redis-server started from a test in the unit lane/);
    assert.match(output, /# unit lane: FAILED/);
  });

  it('starts only the services the listed files need: Redis for a Redis test, no cluster', async () => {
    const file = join(dir, 'redis.test.ts');
    writeFileSync(
      file,
      `import assert from 'node:assert/strict';\nimport { connect } from 'node:net';\nimport { it } from 'node:test';\n` +
        `import { testRedisUrl } from '${support}/shared.ts';\n` +
        `it('reaches the lane redis', async () => {\n  assert.equal(process.env.AI4K8S_TEST_LANE, 'service');\n` +
        `  const url = new URL(await testRedisUrl());\n  assert.equal(url.href, process.env.AI4K8S_TEST_REDIS_URL);\n` +
        `  const socket = connect(Number(url.port), url.hostname);\n  socket.end('PING\\r\\n');\n` +
        `  const reply = await new Promise((done) => socket.once('data', (data) => done(data.toString())));\n` +
        `  assert.equal(reply, '+PONG\\r\\n');\n});\n`,
    );
    const { code, output } = await runTests([file]);
    assert.equal(code, 0, output);
    assert.match(output, /# service lane: 1 files, needing redis\n# redis-server at redis:\/\/127\.0\.0\.1:\d+/);
    assert.match(output, /✔ reaches the lane redis/);
    assert.doesNotMatch(output, /# unit lane|# test cluster at/);
  });

  it('refuses an unknown argument', async () => {
    const { code, output } = await runTests(['--lane', 'fast']);
    assert.equal(code, 1);
    assert.match(output, /unknown argument --lane fast: expected --lane unit\|service\|all/);
  });
});
