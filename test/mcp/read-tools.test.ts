import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CART_POD,
  CHECKOUT_CRASH_LINE,
  CHECKOUT_POD,
  FRONTEND_DEPLOYMENT,
  LEDGER_POD,
  NOT_READY_NODE,
  PAYMENTS_API_IMAGE,
  PAYMENTS_DB_SECRET,
  SECRET_CANARY,
} from '../../dev/cluster/fixture-names.ts';
import { testCluster, type SharedTestCluster } from '../../dev/cluster/shared-cluster.ts';
import { recordingCall, startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { diagnosisVerdict } from '../../dev/support/diagnosis-verdict.ts';

const str = { type: 'string' };
/** A structural schema spelled out: the API server prunes fields a CRD's schema does not name. */
const widgetSchema = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    status: {
      type: 'object',
      properties: { conditions: { type: 'array', items: { type: 'object', properties: { type: str, status: str, reason: str } } } },
    },
  },
};

/** The text between the untrusted-data fences, whatever marker the fence carries. */
const fenced = readUntrustedFences;

describe('read tools against the test cluster, over HTTP', () => {
  let cluster: SharedTestCluster;
  let mcp: TestMcpServer;
  let client: Client;
  const outputs: string[] = [];
  const call = recordingCall(() => client, outputs);

  // A CRD and one object of it in a namespace of this file's own, removed afterwards.
  const suffix = randomBytes(3).toString('hex');
  const namespace = `read-tools-${suffix}`;
  const group = `t${suffix}.ai4k8s.test`;
  const crdName = `widgets.${group}`;
  let admin: KubeConfig;

  before(async () => {
    cluster = await testCluster();
    admin = new KubeConfig();
    admin.loadFromFile(cluster.kubeconfigPath);
    admin.setCurrentContext('admin');
    mcp = await startMcpServerForTest({ kubeconfigPath: cluster.kubeconfigPath });
    client = await mcp.connect();
  });
  after(async () => {
    await mcp.stop();
    await admin
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
    await admin
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: crdName })
      .catch(() => undefined);
  });

  it('contexts_list: the three contexts, admin in use, no credentials', async () => {
    const r = await call('contexts_list');
    assert.equal(r.isError, undefined);
    assert.match(r.text, /the tools use admin/);
    assert.match(r.text, /^\*\s+admin\s/m);
    for (const context of ['viewer', 'nobody']) assert.match(r.text, new RegExp(`^\\s+${context}\\s`, 'm'));
    for (const token of Object.values(cluster.tokens))
      assert.ok(!r.text.includes(token) && !JSON.stringify(r.structuredContent).includes(token));
    assert.doesNotMatch(r.text, /BEGIN CERTIFICATE|token|client-key/i);
  });

  it('namespaces_list: phases and pod counts, namespaces with stuck pods first', async () => {
    const r = await call('namespaces_list');
    const lines = r.text.split('\n');
    const payments = lines.findIndex((l) => /^payments\s/.test(l));
    const system = lines.findIndex((l) => /^kube-system\s/.test(l));
    assert.ok(payments > 0 && payments < system, r.text);
    // payments: payments-api (Pending, image pull) and ledger-0 (Pending, unschedulable).
    assert.match(lines[payments] ?? '', /^payments\s+Active\s+\S+\s+2\s+2$/);
    assert.match(r.text, /^shop\s+Active\s+\S+\s+4\s+1$/m);
  });

  it('nodes_list: node-3 NotReady with its unreachable taints; allocatable cpu, memory, pods', async () => {
    const r = await call('nodes_list');
    const node3 = r.text.split('\n').find((l) => l.startsWith(NOT_READY_NODE)) ?? '';
    assert.match(
      node3,
      /NotReady.*node\.kubernetes\.io\/unreachable:NoSchedule,node\.kubernetes\.io\/unreachable:NoExecute\s+3920m\s+14\.5Gi\s+110/,
    );
    const structured = r.structuredContent?.nodes as { name: string; taints?: string; memory?: string }[];
    assert.equal(structured.find((n) => n.name === 'node-1')?.taints, undefined);
    assert.equal(structured.find((n) => n.name === 'node-1')?.memory, '14.5Gi');
  });

  it('pod_get checkout: last state Error exit 1, owner chain to the Deployment, BackOff event fenced', async () => {
    const r = await call('pod_get', { namespace: 'shop', name: CHECKOUT_POD });
    assert.equal(r.isError, undefined);
    assert.match(r.text, /^status: CrashLoopBackOff$/m);
    assert.match(r.text, /ownerChain: Pod → ReplicaSet\/checkout-7d4b9c6f5 → Deployment\/checkout/);
    assert.match(r.text, /lastState: "terminated: Error \(exit 1\), \d+[smh] ago"/);
    assert.match(r.text, /restarts: 7/);
    assert.match(r.text, /node: node-1/);
    assert.match(r.text, /podIPs: 10\.244\.1\.23/);
    assert.match(r.text, /Ready=False \(ContainersNotReady\)/);
    assert.doesNotMatch(r.text, /PodScheduled=True|managedFields|last-applied|: ""|: \[\]|null/);
    assert.match(fenced(r.text).join('\n'), /Warning\s+BackOff/);
    const pod = r.structuredContent?.pod as { containers: { lastExitCode: number; lastReason: string }[] };
    assert.deepEqual([pod.containers[0]?.lastReason, pod.containers[0]?.lastExitCode], ['Error', 1]);
  });

  it('events_list: Warnings first; by object; since; a bad duration says what to pass', async () => {
    const all = await call('events_list', { namespace: 'payments' });
    const rows = (all.structuredContent?.events as { type: string; reason: string }[]).map((e) => e.type);
    assert.deepEqual(
      rows,
      [...rows].sort((a, b) => Number(b === 'Warning') - Number(a === 'Warning')),
    );
    assert.equal(rows[0], 'Warning');
    assert.ok(rows.includes('Normal'));
    const ledger = await call('events_list', { namespace: 'payments', kind: 'Pod', name: LEDGER_POD });
    assert.deepEqual(
      (ledger.structuredContent?.events as { reason: string }[]).map((e) => e.reason),
      ['FailedScheduling'],
    );
    assert.match(fenced(ledger.text)[0] ?? '', /Insufficient memory/);
    const warnings = await call('events_list', { type: 'Warning' });
    assert.ok((warnings.structuredContent?.events as { type: string }[]).every((e) => e.type === 'Warning'));
    const recent = await call('events_list', { namespace: 'payments', since: '5s' });
    assert.match(recent.text, /^No events in namespace payments/);
    const bad = await call('events_list', { since: 'yesterday' });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /since/);
    assert.match(bad.text, /30m, 1h or 2d/);
  });

  it('workload_get: a Deployment with its ReplicaSet and unhealthy pod; a StatefulSet with its Pending pod', async () => {
    const checkout = await call('workload_get', { kind: 'Deployment', namespace: 'shop', name: 'checkout' });
    // The status is read from the cluster, so it is in the fence; the tool's judgement leads outside it.
    assert.match(checkout.text, /^Deployment shop\/checkout needs attention:/);
    assert.match(fenced(checkout.text)[0] ?? '', /^status: 0\/1 ready, 1 up-to-date, 0 available$/m);
    assert.match(checkout.text, /Progressing=False \(ProgressDeadlineExceeded\)/);
    assert.match(checkout.text, /^1\s+checkout-7d4b9c6f5\s+0\/1\s+registry\.example\.com\/shop\/checkout:1\.9\.0/m);
    assert.match(checkout.text, /Pods: 1 pod \(1 CrashLoopBackOff\)\. Unhealthy:/);
    assert.match(checkout.text, new RegExp(`${CHECKOUT_POD}\\s+0/1\\s+CrashLoopBackOff\\s+7\\s+node-1\\s+checkout: Error \\(exit 1\\)`));
    const frontend = await call('workload_get', { kind: 'Deployment', namespace: 'shop', name: FRONTEND_DEPLOYMENT });
    assert.match(frontend.text, /^Deployment shop\/frontend looks healthy:/);
    assert.match(fenced(frontend.text)[0] ?? '', /^status: 2\/2 ready, 2 up-to-date, 2 available$/m);
    assert.match(frontend.text, /Pods: 2 pods \(2 Running\)\.$/m);
    const ledger = await call('workload_get', { kind: 'StatefulSet', namespace: 'payments', name: 'ledger' });
    assert.match(ledger.text, /serviceName: payments-db/);
    assert.match(ledger.text, new RegExp(`^${LEDGER_POD}\\s+0/1\\s+Pending`, 'm'));
  });

  it('rollout_history: the revision from the ReplicaSet, marked current, with its image', async () => {
    const r = await call('rollout_history', { namespace: 'shop', name: FRONTEND_DEPLOYMENT });
    assert.match(r.text, /^deployment shop\/frontend: 1 revision kept, current 3\./);
    assert.match(r.text, /^3 \(current\)\s+registry\.example\.com\/shop\/frontend:2\.14\.1\s+2\/2\s+\d+[smhd] ago\s+frontend-6d9f7c8b5$/m);
  });

  it('resources_list / resource_get: a CRD created here, found through discovery', async () => {
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    await admin.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
      body: {
        metadata: { name: crdName },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: [`wd${suffix}`] },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } }],
        },
      },
    });
    const custom = admin.makeApiClient(CustomObjectsApi);
    const create = (name: string, ready: string) =>
      custom.createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace,
        plural: 'widgets',
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name },
          spec: { size: 3 },
          status: { conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'Fine' : 'Broken' }] },
        },
      });
    // The API server serves a new CRD a moment after it is created.
    for (let attempt = 0; ; attempt++) {
      try {
        await create('w-good', 'True');
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await sleep(100);
      }
    }
    await create('w-bad', 'False');

    const list = await call('resources_list', { kind: `widgets.${group}`, namespace });
    assert.equal(list.isError, undefined, list.text);
    assert.match(
      list.text,
      new RegExp(`^2 widgets \\(Widget, ${group.replace(/\./g, '\\.')}/v1\\) in namespace ${namespace}: .*1 needs attention`),
    );
    const lines = list.text.split('\n');
    assert.ok(lines.findIndex((l) => l.startsWith('w-bad')) < lines.findIndex((l) => l.startsWith('w-good')), list.text);
    assert.match(list.text, /^w-bad\s+\d+s\s+Ready=False \(Broken\)$/m);
    const byShortName = await call('resources_list', { kind: `wd${suffix}`, namespace, apiVersion: `${group}/v1` });
    assert.equal((byShortName.structuredContent?.items as unknown[]).length, 2);
    const one = await call('resource_get', { kind: 'Widget', apiVersion: `${group}/v1`, namespace, name: 'w-good' });
    assert.match(one.text, new RegExp(`^Widget ${namespace}/w-good \\(${group.replace(/\./g, '\\.')}/v1\\):`));
    assert.match(one.text, /spec:\n {2}size: 3/);
    assert.doesNotMatch(one.text, /managedFields/);
    const cluster = await call('resources_list', { kind: 'nodes' });
    // At least the three fixture nodes (drain tests may add their own for a while).
    assert.match(cluster.text, /^([3-9]|\d{2,}) nodes \(Node, v1\) in the cluster/);
  });

  it('resource_get / resources_list of a Secret: type and key names, never the values', async () => {
    const one = await call('resource_get', { kind: 'Secret', namespace: 'payments', name: PAYMENTS_DB_SECRET });
    assert.equal(one.isError, undefined);
    assert.match(one.text, /type: Opaque/);
    assert.match(one.text, /keys:\n {2}- password\n {2}- url\n {2}- username/);
    assert.doesNotMatch(one.text, /^data:|stringData/m);
    const list = await call('resources_list', { kind: 'secrets', apiVersion: 'v1' });
    assert.match(list.text, /payments\s+payments-db\s+\S+\s+Opaque \(3 keys: password,url,username\)/);
    for (const r of [one, list]) {
      assert.ok(!r.text.includes(SECRET_CANARY) && !JSON.stringify(r.structuredContent).includes(SECRET_CANARY));
      // Base64 of the canary, as Secret data carries it.
      assert.ok(!JSON.stringify(r).includes(Buffer.from(SECRET_CANARY).toString('base64').slice(0, 16)));
    }
  });

  it('top_pods / top_nodes: a clear isError when the metrics API is absent', async () => {
    for (const [name, args] of [
      ['top_pods', { namespace: 'shop' }],
      ['top_nodes', {}],
    ] as const) {
      const r = await call(name, args);
      assert.equal(r.isError, true, name);
      assert.match(r.text, /metrics API \(metrics\.k8s\.io\) is not available in this cluster/);
      assert.match(r.text, /metrics-server is not installed/);
    }
  });

  it('diagnose Pod checkout: CrashLoopBackOff verdict first, with the crash line, and the previous log fenced', async () => {
    const r = await call('diagnose', { kind: 'Pod', namespace: 'shop', name: CHECKOUT_POD });
    // Only the heading is the tool's own; the verdict quotes the log, so it leads the first fence.
    assert.match(r.text, /^Diagnosis of Pod shop\/checkout-\S+ \(the verdict quotes cluster text\):\n/);
    const verdict = diagnosisVerdict(r.text);
    // The decisive line (the panic), not the log's last line (a stack frame).
    assert.match(verdict ?? '', /^CrashLoopBackOff: container checkout exits 1 \(Error\), 7 restarts; previous log: /);
    assert.ok(verdict?.includes(CHECKOUT_CRASH_LINE), verdict);
    assert.match(r.text, /ownerChain: Pod → ReplicaSet\/checkout-7d4b9c6f5 → Deployment\/checkout/);
    const blocks = fenced(r.text);
    assert.ok(
      blocks.some((b) => b.includes(CHECKOUT_CRASH_LINE) && b.includes('giving up on payments-db')),
      r.text,
    );
    assert.ok(blocks.some((b) => /Warning\s+BackOff/.test(b)));
    assert.equal(r.structuredContent?.healthy, false);
  });

  it("diagnose Pod ledger-0: unschedulable, with the scheduler's reason and the FailedScheduling event", async () => {
    const r = await call('diagnose', { kind: 'Pod', namespace: 'payments', name: LEDGER_POD });
    // The verdict names why no node fits (the request against the largest node), the scheduler's words are evidence.
    assert.match(
      diagnosisVerdict(r.text),
      /^Unschedulable: pod ledger-0 cannot be scheduled: it requests memory 24Gi, more than any node it may use allocates \(at most 14\.5Gi\)$/,
    );
    assert.match(r.text, /scheduler: "0\/3 nodes are available: .*2 Insufficient memory"/);
    assert.ok(fenced(r.text).some((b) => /Warning\s+FailedScheduling/.test(b)));
  });

  it('diagnose workloads: frontend healthy; cart OOMKilled; payments-api cannot pull its image', async () => {
    const frontend = await call('diagnose', { kind: 'Deployment', namespace: 'shop', name: FRONTEND_DEPLOYMENT });
    const verdictOf = (text: string): string => fenced(text)[0] ?? '';
    assert.match(
      verdictOf(frontend.text),
      /^Healthy: Deployment shop\/frontend \(2\/2 ready.*\); 2 pods \(2 Running\), none need attention\./,
    );
    assert.equal(frontend.structuredContent?.healthy, true);
    const cart = await call('diagnose', { kind: 'Deployment', namespace: 'shop', name: 'cart' });
    assert.match(
      verdictOf(cart.text),
      /^Deployment shop\/cart \(0\/1 ready.*\): OOMKilled: container cart is killed for exceeding its memory limit of 512Mi \(exit 137\), 4 restarts/,
    );
    assert.ok(cart.text.includes(CART_POD));
    const api = await call('diagnose', { kind: 'Deployment', namespace: 'payments', name: 'payments-api' });
    assert.match(
      verdictOf(api.text),
      new RegExp(
        `^Deployment payments/payments-api .*: ImagePullBackOff: container payments-api cannot pull image ${PAYMENTS_API_IMAGE.replace(/\./g, '\\.')} \\(the image or tag does not exist\\)`,
      ),
    );
    const ledger = await call('diagnose', { kind: 'StatefulSet', namespace: 'payments', name: 'ledger' });
    assert.match(
      diagnosisVerdict(ledger.text),
      /^StatefulSet payments\/ledger .*: Unschedulable: pod ledger-0 cannot be scheduled: it requests memory 24Gi/,
    );
  });

  it('bad arguments are isError results that say what to change', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['resources_list', { kind: 'Gizmo' }, /serves no resource type "Gizmo".*Pass a kind such as "Deployment"/s],
      ['resources_list', { kind: 'pods', namespace: 'shop', labelSelector: 'app in (' }, /rejected the request.*Fix the argument/s],
      ['resources_list', { kind: 'Deployment', apiVersion: 'apps/v9' }, /apiVersion "apps\/v9" is not served/],
      ['resource_get', { kind: 'ConfigMap', name: 'x' }, /ConfigMap is namespaced: pass namespace/],
      ['pod_get', { namespace: 'no-such-ns', name: 'x' }, /not found\. Use pods_list with namespace "no-such-ns"/],
      ['workload_get', { kind: 'Deployment', namespace: 'shop', name: 'nope' }, /not found\. Use deployments_list/],
      ['workload_get', { kind: 'ReplicaSet', namespace: 'shop', name: 'x' }, /kind/],
      ['diagnose', { kind: 'Gizmo', namespace: 'shop', name: 'x' }, /serves no resource type "Gizmo"/],
      ['diagnose', { kind: 'svc', name: 'checkout' }, /Service is namespaced: pass namespace/],
      [
        'diagnose',
        { kind: 'Service', namespace: 'shop', name: 'nope' },
        /not found\. Use resources_list with kind "Service" and namespace "shop"/,
      ],
      ['diagnose', { kind: 'Secret', namespace: 'payments', name: PAYMENTS_DB_SECRET }, /does not look inside Secrets/],
      ['events_list', { namespace: 'Not_A_Namespace' }, /namespace/],
    ];
    for (const [name, args, expected] of cases) {
      const r = await call(name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${r.text}`);
      assert.match(r.text, expected, `${name} ${JSON.stringify(args)}`);
    }
  });

  it('no output contains the Secret canary', () => {
    assert.ok(outputs.length > 30);
    for (const output of outputs) assert.ok(!output.includes(SECRET_CANARY));
  });
});
