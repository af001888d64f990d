import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../../dev/support/free-port.ts';
import { startRedisServer } from '../../dev/services/redis-server.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { postToSlackEndpoint, slashCommandBody } from '../../dev/support/slack-requests.ts';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');
const SIGNING_SECRET = 'logs-outage-signing-secret-0123456789abcdef';

interface RoleProcess {
  child: ChildProcess;
  /** Every line written to stdout or stderr, tagged with its stream. */
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<number | null>;
}

function startRole(role: 'gateway' | 'worker', env: Record<string, string>): RoleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, role], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: RoleProcess['lines'] = [];
  const waiters = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) if (text.trim() !== '') lines.push({ stream, text });
      for (const waiter of waiters) waiter();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!lines.some((l) => pattern.test(l.text))) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${role}: no line matching ${pattern} in ${timeoutMs} ms:\n${lines.map((l) => l.text).join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

const notJson = (role: RoleProcess) =>
  role.lines.filter((line) => {
    try {
      const parsed: unknown = JSON.parse(line.text);
      return typeof parsed !== 'object' || parsed === null;
    } catch {
      return true;
    }
  });

describe('structured logs only: the roles log a Redis outage as JSON lines', () => {
  it('gateway and worker, Redis killed, stopped with SHUTDOWN, and back: every line on stdout and stderr is JSON', async () => {
    const redis = await startRedisServer({ appendonly: true });
    const gatewayPort = await freePort();
    const env: Record<string, string> = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniqueName('logs'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PORT: String(gatewayPort),
      WORKER_PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-logs-outage-token',
      SLACK_BOT_USER_ID: 'U0LOGSBOT1',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:1/api/',
      ALERTS_TOKEN: 'logs-outage-alerts-token-0123456789abcdef',
      MCP_URL: 'http://127.0.0.1:1/mcp',
      MCP_TOKEN: 'logs-outage-mcp-token-0123456789abcdef',
    };
    const roles = [startRole('gateway', env), startRole('worker', env)];
    try {
      const [gateway, worker] = roles as [RoleProcess, RoleProcess];
      await Promise.all([gateway.waitFor(/"gateway listening"/, 120_000), worker.waitFor(/"worker listening"/, 120_000)]);
      const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
      const ask = async (text: string) =>
        (await postToSlackEndpoint({ gatewayUrl, body: slashCommandBody({ text }), secret: SIGNING_SECRET })).text();

      await redis.kill();
      await ask('asked while Redis is down'); // the enqueue fails: logged, acked
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await redis.restart();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await redis.shutdown();
      await ask('asked while Redis is stopped');
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await redis.restart();
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const codes = [await gateway.stop(), await worker.stop()];
      for (const [name, role] of [
        ['gateway', gateway],
        ['worker', worker],
      ] as const) {
        const bad = notJson(role);
        assert.deepEqual(bad.slice(0, 5), [], `${name} wrote ${bad.length} lines that are not JSON`);
        assert.ok(
          role.lines.some((l) => /redis|queue|worker/i.test(l.text) && /"level":"(warn|error)"/.test(l.text)),
          `${name} logged no warning about the outage`,
        );
      }
      const lastLines = (role: RoleProcess) =>
        role.lines
          .slice(-8)
          .map((l) => l.text.slice(0, 300))
          .join('\n');
      assert.deepEqual(
        codes,
        [0, 0],
        `a role did not stop cleanly after the outage; last lines:\ngateway:\n${lastLines(gateway)}\nworker:\n${lastLines(worker)}`,
      );
    } finally {
      for (const role of roles) await role.stop();
      await redis.stop();
    }
  });
});
