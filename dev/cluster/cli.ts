/**
 * `npm run test-cluster`: runs the seeded test cluster in the foreground for manual poking (or for
 * the bot in `all` mode), until Ctrl-C / SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureClusterBinaries } from './ensure-binaries.ts';
import { startTestCluster } from './start-test-cluster.ts';

async function main(): Promise<void> {
  const started = Date.now();
  await ensureClusterBinaries({ onProgress: (line) => process.stdout.write(`${line}\n`) });
  // Per checkout (git-ignored): two clones may each run a test cluster while sharing the built binaries.
  const dir = join(import.meta.dirname, '..', '..', '.cache', 'test-cluster');
  mkdirSync(dir, { recursive: true });
  const cluster = await startTestCluster({ dir });
  process.stdout.write(
    [
      `test cluster up at ${cluster.server} (${Date.now() - started} ms)`,
      `kubeconfig: ${cluster.kubeconfigPath}  (contexts: admin [current], viewer, nobody)`,
      '',
      `  KUBECONFIG=${cluster.kubeconfigPath} kubectl get pods -A`,
      `  KUBECONFIG=${cluster.kubeconfigPath} kubectl --context viewer get nodes`,
      '',
      `logs: ${join(dir, 'kube-apiserver.log')}, ${join(dir, 'etcd.log')}`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  // The cluster's children do not hold the event loop; this does, until a signal arrives.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nstopping...\n');
  clearInterval(keepAlive);
  await cluster.stop();
  process.stdout.write('stopped\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
