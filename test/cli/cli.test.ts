import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConsoleUsers } from '../../adapters/console/console-users.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { testRedisUrl } from '../../dev/services/shared.ts';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli did not exit in ${timeoutMs} ms: ${stdout}${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('ai4k8s CLI', () => {
  it('prints usage with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: ai4k8s <role>/);
  });

  it('exits 2 with usage on an unknown role, a missing role or a bad flag', async () => {
    for (const args of [['frontend'], [], ['gateway', '--bogus'], ['gateway', 'extra']]) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `args ${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /Usage: ai4k8s <role>/);
    }
  });

  it('console-user reads a password on standard input and prints a CONSOLE_USERS_FILE line that signs in with it', async () => {
    const run = await runCli(['console-user', 'alice@example.com'], {}, 15_000, 'a long enough password\n');
    assert.equal(run.code, 0, run.stderr);
    const line = run.stdout.trim();
    assert.match(line, /^alice@example\.com:\$scrypt\$ln=15,r=8,p=3\$/);
    const users = parseConsoleUsers(`${line}\n`, 'CONSOLE_USERS_FILE (cli)');
    assert.equal(await users.verify('alice@example.com', 'a long enough password'), true);
    assert.equal(await users.verify('alice@example.com', 'another password'), false);
    assert.equal((await runCli(['console-user', 'alice'], {}, 15_000, 'short\n')).code, 2);
    assert.equal((await runCli(['console-user', 'a b'], {}, 15_000, 'a long enough password\n')).code, 2);
  });

  it('fails fast on bad configuration, naming the variable', async () => {
    const run = await runCli(['gateway'], { PORT: 'not-a-port' });
    assert.equal(run.code, 78);
    assert.match(run.stderr, /PORT: expected a TCP port number/);
  });

  it('starts the gateway, logs where it listens, answers /healthz and stops on SIGTERM', async (t) => {
    const port = await freePort();
    const token = 'xoxb-LEAK-CANARY-0001';
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'gateway'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        REDIS_URL: await testRedisUrl(),
        SLACK_BOT_TOKEN: token,
        SLACK_SIGNING_SECRET: 'signing-secret-canary',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    // The gateway waits (bounded) for auth.test against an unreachable Slack first; a loaded CI machine needs room.
    const deadline = Date.now() + 45_000;
    while (!stdout.includes('listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg?: string; url?: string });
    const listening = lines.filter((l) => l.msg?.endsWith('listening'));
    assert.equal(listening.length, 1, stdout);
    assert.equal(listening[0]?.msg, 'gateway listening');
    assert.equal(listening[0]?.url, `http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', role: 'gateway' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    const started = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - started < 5_000, 'shutdown took too long');
    assert.ok(!stdout.includes(token), 'bot token reached the log');
    assert.ok(!stdout.includes('signing-secret-canary'), 'signing secret reached the log');
  });

  it('runs as the installed bin (compiled by the set-up command)', async () => {
    const bin = join(import.meta.dirname, '../../bin/ai4k8s.js');
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(run.code, 0, `${run.stderr} (run npm ci or npm run build first)`);
    assert.match(run.stdout, /Usage: ai4k8s <role>/);
  });

  for (const role of ['worker', 'mcp', 'all'] as const) {
    it(`starts the ${role} role, which answers /healthz and stops cleanly on SIGTERM`, async (t) => {
      const cluster = await testCluster();
      const ports = { PORT: await freePort(), MCP_PORT: await freePort(), WORKER_PORT: await freePort() };
      const healthPort = role === 'worker' ? ports.WORKER_PORT : role === 'mcp' ? ports.MCP_PORT : ports.PORT;
      const child = spawn(process.execPath, ['--import', 'tsx', cli, role], {
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL: await testRedisUrl(),
          QUEUE_PREFIX: `cli-${role}-${process.pid}`,
          MCP_TOKEN: 'mcp-token-cli-test-0123456789abcdef',
          MCP_URL: `http://127.0.0.1:${ports.MCP_PORT}/mcp`,
          KUBECONFIG: cluster.kubeconfigPath,
          PORT: String(ports.PORT),
          MCP_PORT: String(ports.MCP_PORT),
          WORKER_PORT: String(ports.WORKER_PORT),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      t.after(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const expected = role === 'all' ? 3 : 1;
      const deadline = Date.now() + 45_000; // a wait, not a bar: room for a loaded CI machine
      while ((stdout.match(/listening"/g) ?? []).length < expected && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const listening = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg?: string; url?: string })
        .filter((l) => l.msg?.endsWith('listening'));
      assert.equal(listening.length, expected, `${stdout}\n${stderr}`);
      const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
      assert.equal(ready.status, 200);
      const started = Date.now();
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.ok(Date.now() - started < 5_000, 'shutdown took too long');
      assert.ok(!stdout.includes('mcp-token-cli-test'), 'the MCP token reached the log');
    });
  }
});
