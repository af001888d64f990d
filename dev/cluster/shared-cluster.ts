import type { TestCluster } from './test-cluster.ts';

/** What a test file may use of the shared cluster: not stop it, nor restart its API server under other tests. */
export type SharedTestCluster = Omit<TestCluster, 'stop' | 'restartApiServer'>;

/**
 * The test cluster for a test file: the one `npm test` started (passed in AI4K8S_TEST_CLUSTER), or,
 * when the file runs alone, one of its own, started once per process and stopped when it ends.
 * Treat it as shared: create your own namespaces or names rather than changing the seeded objects.
 */
export async function testCluster(): Promise<SharedTestCluster> {
  const shared = process.env.AI4K8S_TEST_CLUSTER;
  if (shared !== undefined && shared !== '') return JSON.parse(shared) as SharedTestCluster;
  ownCluster ??= startOwn();
  const { kubeconfigPath, server, tokens } = await ownCluster;
  return { kubeconfigPath, server, tokens };
}

let ownCluster: Promise<TestCluster> | undefined;

async function startOwn(): Promise<TestCluster> {
  const { startTestCluster } = await import('./start-test-cluster.ts');
  const cluster = await startTestCluster();
  // The cluster's children are unref'd, so the process reaches beforeExit once the tests are done.
  process.once('beforeExit', () => void cluster.stop());
  return cluster;
}
