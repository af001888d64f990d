/** The services the service lane starts (or a test starts for itself): what a test file may need beyond node. */
export const TEST_SERVICES = ['redis', 'cluster', 'chromium', 'monitoring'] as const;
export type TestService = (typeof TEST_SERVICES)[number];

/**
 * The support modules that start or reach a service, by path from the repository root. A test file that imports one
 * of them, directly or through other helpers, runs in the service lane, as does a file that declares
 * `// test-needs: <service>`; every other test file runs in the unit lane.
 * `test/runner/services-needed.test.ts` checks that each path exists, so moving a module cannot empty the lane.
 */
export const SERVICE_MODULES: Readonly<Record<string, TestService>> = {
  'dev/services/shared.ts': 'redis',
  'dev/services/redis-server.ts': 'redis',
  'dev/services/redis-topologies.ts': 'redis',
  'dev/cluster/shared-cluster.ts': 'cluster',
  'dev/cluster/start-test-cluster.ts': 'cluster',
  'dev/services/chromium.ts': 'chromium',
  'dev/services/monitoring-stack.ts': 'monitoring',
};
