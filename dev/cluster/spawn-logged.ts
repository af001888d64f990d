import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface LoggedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Set once the process has exited (code or signal), for start-up failure messages. */
  exitDescription(): string | undefined;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a server binary with stdout and stderr written to `logFile`. The child is unref'd so a test
 * process whose work is done can reach `beforeExit` and stop it; `stop()` re-refs it to wait for it.
 * It runs in a process group of its own: a terminal's Ctrl-C reaches only the process that started it,
 * which stops its children in order (the caller's reaper kills them if that process dies first).
 */
export function spawnLogged(name: string, command: string, args: string[], logFile: string, flags: 'w' | 'a' = 'w'): LoggedProcess {
  const fd = openSync(logFile, flags);
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal !== null ? `killed by ${signal}` : `exited with code ${String(code)}`;
      resolve();
    });
    child.once('error', (error) => {
      exit = `failed to start: ${error.message}`;
      resolve();
    });
  });
  child.unref();
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exitDescription: () => exit,
    stop: async (graceMs = 5_000) => {
      if (exit !== undefined) return;
      child.ref();
      child.kill(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last lines of a log file, for error messages that must explain a failed start. */
export function logTail(logFile: string, lines = 30): string {
  if (!existsSync(logFile)) return '(no log file)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
