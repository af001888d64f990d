import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program and never rejects, so "no" answers (kubectl auth can-i, a failing render) can be checked.
 * Asynchronous on purpose: a test cluster started by this process serves from its event loop.
 */
export function runCommand(file: string, args: readonly string[], { input, timeoutMs = 60_000 }: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
    // A program that exits before reading its input closes the pipe: EPIPE here is that, not a failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** helm v3 as CI provides it: on PATH, in $AI4K8S_CACHE_DIR/bin, or in ~/.cache/ai4k8s/bin. */
export function findHelm(): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    ...(process.env.AI4K8S_CACHE_DIR === undefined ? [] : [join(process.env.AI4K8S_CACHE_DIR, 'bin')]),
    join(homedir(), '.cache', 'ai4k8s', 'bin'),
  ];
  return dirs.map((dir) => join(dir, 'helm')).find((path) => path !== 'helm' && existsSync(path));
}
