import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LogLine = Record<string, unknown>;

export interface LoggedProcess {
  child: ChildProcess;
  /** The JSON lines kept so far (those `keep` accepted), oldest first. */
  readonly lines: readonly LogLine[];
  /** Resolves with the first JSON line (seen from now on or already kept) that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnLoggedProcessOptions {
  /** An entry point relative to the repository root: TypeScript (`.ts`) runs with tsx, JavaScript as is. */
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** Which JSON lines to keep in `lines` (the rest are read and dropped, as a log shipper would). */
  keep?: (line: LogLine) => boolean;
}

const root = join(import.meta.dirname, '../..');
const RECENT_LINES = 100;

/** A Node process whose stdout (pino JSON lines) is read as it comes, like a container runtime would. */
export function spawnLoggedProcess({ script, args = [], env, keep = () => false }: SpawnLoggedProcessOptions): LoggedProcess {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, join(root, script), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  /** The last lines whatever `keep` says, so a wait that starts after its line arrived still finds it. */
  const recent: LogLine[] = [];
  const watchers = new Set<(line: LogLine) => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return; // not a log line
      }
      if (keep(line)) lines.push(line);
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      for (const watcher of watchers) watcher(line);
    });
  }

  const waitForLine = (match: (line: LogLine) => boolean, timeoutMs: number) =>
    new Promise<LogLine>((resolve, reject) => {
      const kept = lines.find(match) ?? recent.find(match);
      if (kept !== undefined) {
        resolve(kept);
        return;
      }
      const done = () => {
        clearTimeout(timer);
        watchers.delete(watcher);
        child.off('exit', onExit);
      };
      const watcher = (line: LogLine) => {
        if (!match(line)) return;
        done();
        resolve(line);
      };
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`${[script, ...args].join(' ')} exited (${code}) before the expected log line:\n${stderr}`));
      };
      const timer = setTimeout(() => {
        done();
        const last = recent.slice(-5).map((line) => JSON.stringify(line).slice(0, 300));
        reject(
          new Error(
            `${[script, ...args].join(' ')}: no expected log line within ${timeoutMs} ms; last lines:\n${last.join('\n')}\nstderr:\n${stderr}`,
          ),
        );
      }, timeoutMs);
      watchers.add(watcher);
      child.once('exit', onExit);
    });

  return {
    child,
    lines,
    waitForLine,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts one ai4k8s role through the CLI and waits for its "<role> listening" line. `compiled`: the built CLI
 * (`bin/ai4k8s.js` on `dist/`, as the image runs it; needs `npm run build`) instead of the sources under tsx,
 * whose transpiler would add its own memory to the process (and, on a loaded machine, tens of seconds to its start:
 * under a load average near 20 a worker took 18 s to listen under tsx, 10 s compiled, hence `startTimeoutMs`).
 */
export async function startRoleProcess(
  role: 'gateway' | 'worker' | 'mcp',
  env: Record<string, string>,
  keep?: (line: LogLine) => boolean,
  { compiled = false, startTimeoutMs = 60_000 }: { compiled?: boolean; startTimeoutMs?: number } = {},
): Promise<{ process: LoggedProcess; listening: LogLine }> {
  const started = spawnLoggedProcess({ script: compiled ? 'bin/ai4k8s.js' : 'src/cli/main.ts', args: [role], env, keep });
  try {
    const listening = await started.waitForLine((line) => line.msg === `${role} listening`, startTimeoutMs);
    return { process: started, listening };
  } catch (error) {
    await started.stop(0);
    throw error;
  }
}
