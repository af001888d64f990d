import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { healthContentSchema, LIST_CAP } from '../../src/contract/health-content.ts';
import { summarizeHealth } from '../../src/mcp/toolsets/core/health/summarize-health.ts';
import { CART_POD, CHECKOUT_POD, LEDGER_POD, NOT_READY_NODE, PAYMENTS_API_POD } from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

describe('health_summary', () => {
  let mcp: TestMcpServer;
  let client: Client;
  const call = recordingCall(() => client, []);
  before(async () => {
    mcp = await startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath });
    client = await mcp.connect();
  });
  after(() => mcp.stop());

  it("a namespace: its failing workloads with their pods' states, and the pods that restarted most", async () => {
    const result = await call('health_summary', { namespace: 'shop' });
    const health = healthContentSchema.parse(result.structuredContent);
    assert.deepEqual(health.failingWorkloads.map((w) => `${w.kind} ${w.name} ${w.ready} ${w.reasons.join(',')}`).sort(), [
      'Deployment cart 0/1 OOMKilled',
      'Deployment checkout 0/1 CrashLoopBackOff',
    ]);
    assert.deepEqual(
      health.topRestarts.map((p) => [p.name, p.restarts]),
      [
        [CHECKOUT_POD, 7],
        [CART_POD, 4],
      ],
    );
    assert.equal(health.nodesChecked, false);
    assert.match(result.text, /^Health of namespace shop: 2 failing workloads, 0 pending pods, nodes not checked/);
    assert.match(
      readUntrustedFences(result.text)[0] ?? '',
      /- shop\/checkout-7d4b9c6f5-x2x9z 7 restarts, now CrashLoopBackOff; last: checkout: Error \(exit 1\)/,
    );
  });

  it('pending pods say why; the cluster-wide call checks nodes', async () => {
    const payments = healthContentSchema.parse((await call('health_summary', { namespace: 'payments' })).structuredContent);
    assert.deepEqual(payments.pendingPods.map((p) => [p.name, p.reason.split(':')[0]]).sort(), [
      [LEDGER_POD, 'Unschedulable'],
      [PAYMENTS_API_POD, 'ImagePullBackOff'],
    ]);
    const cluster = healthContentSchema.parse((await call('health_summary', {})).structuredContent);
    assert.equal(cluster.nodesChecked, true);
    assert.ok(
      cluster.notReadyNodes.some((node) => node.name === NOT_READY_NODE && /^Unknown|NotReady/.test(node.status)),
      JSON.stringify(cluster.notReadyNodes),
    );
  });

  it('pathological sizes: 20,000 pods summarised fast, lists capped with the full counts kept', () => {
    const pods: V1Pod[] = Array.from({ length: 20_000 }, (_, i) => ({
      metadata: { name: `p${i}`, namespace: 'big', labels: { app: 'big' } },
      status: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'c', image: 'x', imageID: '', ready: false, restartCount: i % 50, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    }));
    const started = performance.now();
    const health = summarizeHealth({
      namespace: 'big',
      pods,
      deployments: [
        {
          metadata: { name: 'big', namespace: 'big' },
          spec: { replicas: 20_000, selector: { matchLabels: { app: 'big' } }, template: {} },
        },
      ],
      statefulSets: [],
      daemonSets: [],
      nodes: undefined,
      notes: [],
      top: 5,
    });
    assert.ok(performance.now() - started < 2_000);
    assert.equal(health.pendingPods.length, LIST_CAP);
    assert.equal(health.counts.pendingPods, 20_000);
    assert.deepEqual(
      health.topRestarts.map((p) => p.restarts),
      [49, 49, 49, 49, 49],
    );
    assert.deepEqual(health.failingWorkloads[0]?.reasons, ['ContainerCreating ×20000']);
  });
});
