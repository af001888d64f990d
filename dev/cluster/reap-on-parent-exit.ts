import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Makes sure server processes die with the Node process that started them, however it ends:
 * a normal exit runs the `exit` hook; a signal or SIGKILL skips every hook, so a detached `sh`
 * watchdog polls the parent and kills the children once it is gone. Either way the temp dirs go
 * too. Returns the undo function that `stop()` calls after stopping the children itself.
 */
export function reapOnParentExit({ pids, dirs }: { pids: number[]; dirs: string[] }): () => void {
  const live = pids.filter((pid) => pid > 0);
  const onExit = (): void => {
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  // Arguments: parent pid, child pids, "--", dirs. Dirs are removed after the kill, with a pause so
  // the processes no longer write into them.
  const script = [
    'parent=$1; shift; pids=""',
    'while [ "$1" != "--" ]; do pids="$pids $1"; shift; done; shift',
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    'kill -KILL $pids 2>/dev/null; sleep 1; rm -rf -- "$@"',
  ].join('\n');
  const args = [String(process.pid), ...live.map(String), '--', ...dirs];
  const watchdog = spawn('sh', ['-c', script, 'ai4k8s-reaper', ...args], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return () => {
    process.removeListener('exit', onExit);
    watchdog.kill('SIGKILL');
  };
}
