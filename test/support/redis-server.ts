import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { reapOnParentExit } from '../cluster/reap-on-parent-exit.ts';
import { freePort } from './free-port.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  /** Lets the test process exit while redis runs; the server is killed when the process exits. */
  detach(): void;
}

/**
 * Starts a throwaway redis-server (Debian package) on a free loopback port, without persistence. It runs in
 * a process group of its own (a terminal's Ctrl-C does not reach it; `stop()` does) and dies with the
 * process that started it, however that process ends.
 */
export async function startRedisServer(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-redis-'));
  const logFile = join(dir, 'redis.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => {
    stderr += `\n${error.message} (is the redis-server package installed?)`;
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refusals are expected until the server is up
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        const log = readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n');
        throw new Error(`redis-server did not start on ${url}: ${stderr.trim()}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const unreap = reapOnParentExit({ pids: [child.pid ?? -1], dirs: [dir] });
  return {
    url,
    detach: () => child.unref(),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      unreap();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
