import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface RunningDemo {
  /** The gateway's base URL (the console is at `${url}/console`). */
  readonly url: string;
  readonly token: string;
  /** Everything the demo printed so far, stdout and stderr interleaved. */
  output(): string;
  /** The processes below `npm run demo` once it printed its URL (redis-server, kube-apiserver, etcd, …). */
  readonly started: readonly { pid: number; command: string }[];
  /**
   * Ctrl-C as in a terminal (SIGINT to the process group), then checks it stopped cleanly within
   * `timeoutMs`, that none of `started` is left running and that the console no longer answers.
   */
  interruptAndCheckStopped(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the whole process group when it is still running (for `after` hooks when a test failed midway). */
  kill(): void;
  /** The temp dirs the started services work in (redis --dir, etcd --data-dir, the cluster's certificates). */
  readonly serviceDirs: readonly string[];
}

/**
 * A newcomer's shell: the test runner's environment without any of the product's settings (no model key,
 * no Redis, no kubeconfig, no console token), plus `extra`.
 */
export function newcomerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(AI4K8S_TEST_|ANTHROPIC_|REDIS_URL$|KUBECONFIG$|CONSOLE_|PORT$|MCP_|SLACK_|TEAMS_)/.test(key))
      env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs `npm run demo` in its own process group, as a user would in a terminal, and waits until it prints
 * the console's URL and login token. Kills it again when it exits early or prints nothing in time.
 */
export async function startDemo({
  env,
  startTimeoutMs = 120_000,
}: {
  env: Record<string, string>;
  startTimeoutMs?: number;
}): Promise<RunningDemo> {
  const child = spawn('npm', ['run', 'demo'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid ?? 0;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (pid === 0 || !running()) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  let url: string | undefined;
  let token: string | undefined;
  try {
    const deadline = Date.now() + startTimeoutMs;
    while (url === undefined || token === undefined) {
      assert.ok(Date.now() < deadline, `the demo printed no URL within ${startTimeoutMs} ms:\n${output}`);
      assert.ok(running(), `the demo exited early:\n${output}`);
      url = /Web console:\s+(http:\/\/\S+)\/console/.exec(output)?.[1];
      token = /Login token:\s+(\S+)/.exec(output)?.[1];
      await sleep(200);
    }
  } catch (error) {
    kill();
    throw error;
  }
  const started = descendants(pid).map((p) => ({ pid: p, command: readStat(p)?.command ?? '' }));
  // redis-server rewrites its command line, but it works in its --dir.
  const serviceDirs = started.flatMap((p) => (p.command.startsWith('redis-server') ? [cwdOf(p.pid)] : dirsOf(readCmdline(p.pid))));
  const consoleUrl = `${url}/console`;

  return {
    url,
    token,
    output: () => output,
    started,
    serviceDirs,
    kill,
    async interruptAndCheckStopped(timeoutMs = 30_000) {
      process.kill(-pid, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      ]);
      clearTimeout(timer);
      // npm re-raises the interrupt on itself once the script has exited, so a clean stop reads SIGINT (or 0).
      assert.ok(code === '0' || code === 'SIGINT', `the demo did not stop cleanly on Ctrl-C (${code}):\n${output}`);
      assert.match(output, /demo: stopped/);
      await sleep(500);
      const left = started.filter((p) => alive(p.pid)).map((p) => `${p.pid} ${p.command}`);
      assert.deepEqual(left, [], 'processes the demo started are still running');
      await assert.rejects(fetch(consoleUrl), 'the console still answers after the demo stopped');
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every live process below `root` (by parent pid), read from /proc; zombies count as gone. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined && stat.state !== 'Z') parents.set(Number(name), stat.ppid);
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function readStat(pid: number): { state: string; ppid: number; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
    return { state, ppid: Number(ppid), command: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Working dirs named on a service's command line: redis-server's --dir, etcd's --data-dir, the API server's pki dir's parent. */
function dirsOf(args: readonly string[]): string[] {
  const dirs: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '--dir' && args[i + 1] !== undefined) dirs.push(args[i + 1] ?? '');
    const dataDir = /^--data-dir=(.+)$/.exec(arg)?.[1];
    if (dataDir !== undefined) dirs.push(dataDir);
    const tokenFile = /^--token-auth-file=(.+)\/pki\/tokens\.csv$/.exec(arg)?.[1];
    if (tokenFile !== undefined) dirs.push(tokenFile);
  });
  return dirs;
}

function alive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}
