import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { reapOnParentExit } from '../cluster/reap-on-parent-exit.ts';
import { freePort } from '../support/free-port.ts';
import { refuseInUnitLane } from './unit-lane-guard.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  /** Lets the test process exit while redis runs; the server is killed when the process exits. */
  detach(): void;
  /** `kill -9`: the server dies at once (with appendonly, what it acknowledged is in its AOF). */
  kill(): Promise<void>;
  /** A graceful stop: `SHUTDOWN` (the AOF is flushed), as an orchestrator's stop would. */
  shutdown(): Promise<void>;
  /** Starts the server again on the same port and data directory, after kill() or shutdown(). */
  restart(): Promise<void>;
}

export interface StartRedisServerOptions {
  /** Persist with an append-only file (fsync every second), as a production Redis would; default off. */
  appendonly?: boolean;
}

/**
 * Starts a throwaway redis-server (Debian package) on a free loopback port, without persistence unless asked.
 * It runs in a process group of its own (a terminal's Ctrl-C does not reach it; `stop()` does) and dies with
 * the process that started it, however that process ends.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<TestRedis> {
  refuseInUnitLane('redis-server');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-redis-'));
  const logFile = join(dir, 'redis.log');
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    options.appendonly === true ? 'yes' : 'no',
    '--dir',
    dir,
  ];
  let child: ChildProcess;
  let exited: Promise<void>;
  // Undoes the reaper of the current process (a restart is a new process with a reaper of its own).
  let unreap: () => void = () => undefined;
  const launch = async () => {
    const logFd = openSync(logFile, 'a');
    child = spawn('redis-server', args, { stdio: ['ignore', logFd, logFd], detached: true });
    closeSync(logFd);
    let stderr = '';
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    unreap();
    unreap = reapOnParentExit({ pids: [child.pid ?? -1], dirs: [] });
    child.once('error', (error) => {
      stderr += `\n${error.message} (is the redis-server package installed?)`;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refusals are expected until the server is up
      try {
        await probe.connect();
        // With an AOF the server answers LOADING until it has read it back.
        await probe.ping();
        probe.disconnect();
        return;
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
  };
  await launch();
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    detach: () => child.unref(),
    kill: async () => {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    shutdown: async () => {
      if (!running()) return;
      const admin = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      admin.on('error', () => undefined);
      // SHUTDOWN closes the connection instead of answering.
      await admin.shutdown().catch(() => undefined);
      admin.disconnect();
      await exited;
    },
    restart: async () => {
      if (running()) throw new Error('redis-server is still running; kill() or shutdown() it first');
      await launch();
    },
    stop: async () => {
      if (running()) {
        child.kill('SIGTERM');
        await exited;
      }
      unreap();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
