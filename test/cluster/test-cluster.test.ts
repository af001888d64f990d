/**
 * Acceptance of the test cluster itself: the real kubectl and @kubernetes/client-node see the seeded
 * scenarios, logs come through the API server from the fake kubelet, and RBAC tells the three
 * users apart.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { kubeletRequests } from '../../dev/fakes/fake-kubelet.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import {
  CART_POD,
  CHECKOUT_CONTAINER,
  CHECKOUT_CRASH_LINE,
  CHECKOUT_POD,
  FRONTEND_PODS,
  LEDGER_POD,
  NOT_READY_NODE,
  PAYMENTS_API_POD,
  PAYMENTS_DB_SECRET,
  PAYMENTS_NAMESPACE,
  READY_NODES,
  SECRET_CANARY,
  SHOP_NAMESPACE,
} from '../../dev/cluster/fixture-names.ts';
import { SCENARIO_NODES } from '../../dev/cluster/scenarios/index.ts';
import { seedPodNamespace } from '../../dev/cluster/seed-pod-namespace.ts';
import { testCluster, type SharedTestCluster } from '../../dev/cluster/shared-cluster.ts';

const fixtureLog = (kind: 'current' | 'previous'): string =>
  readFileSync(
    join(import.meta.dirname, '../../dev/cluster/fixtures', 'logs', SHOP_NAMESPACE, CHECKOUT_POD, CHECKOUT_CONTAINER, `${kind}.log`),
    'utf8',
  );

let cluster: SharedTestCluster;
before(async () => {
  cluster = await testCluster();
});

/**
 * Runs the real kubectl against the test cluster; never rejects, so "no" answers can be checked.
 * Asynchronous on purpose: when this file started the cluster itself, the fake kubelet serving
 * `kubectl logs` lives in this process, and a synchronous spawn would block it.
 */
function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function client(context = 'admin'): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  kc.setCurrentContext(context);
  return kc.makeApiClient(CoreV1Api);
}

describe('kubectl sees the seeded scenarios', () => {
  test('get pods -A shows each pod in the STATUS kubectl users know', async () => {
    const { code, stdout, stderr } = await kubectl('get', 'pods', '-A', '--no-headers');
    assert.equal(code, 0, stderr);
    const status = new Map(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .map(([, name, , state]) => [name, state]),
    );
    assert.equal(status.get(CHECKOUT_POD), 'CrashLoopBackOff');
    assert.equal(status.get(CART_POD), 'OOMKilled');
    assert.equal(status.get(PAYMENTS_API_POD), 'ImagePullBackOff');
    assert.equal(status.get(LEDGER_POD), 'Pending');
    for (const pod of FRONTEND_PODS) assert.equal(status.get(pod), 'Running');
  });

  test('get nodes shows node-3 NotReady, the scenario nodes as seeded and the others Ready, at the pinned version', async () => {
    const { code, stdout, stderr } = await kubectl('get', 'nodes', '--no-headers');
    assert.equal(code, 0, stderr);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/));
    // Other test files add nodes for a while (drain tests): only the seeded ones are asserted.
    const seeded = new Set<string>([...READY_NODES, NOT_READY_NODE, ...SCENARIO_NODES.map((n) => n.object.metadata?.name ?? '')]);
    assert.deepEqual(
      rows.filter(([name]) => seeded.has(name ?? '')).map(([name, state]) => `${name} ${state}`),
      [
        ...READY_NODES.map((node) => `${node} Ready`),
        `${NOT_READY_NODE} NotReady`,
        ...SCENARIO_NODES.map((n) => `${n.object.metadata?.name ?? ''} ${n.status}`),
      ],
    );
    assert.ok(
      rows.filter(([name]) => seeded.has(name ?? '')).every((row) => row[4] === 'v1.32.13'),
      stdout,
    );
  });

  test('version reports the pinned server version', async () => {
    const { stdout } = await kubectl('version', '-o', 'json');
    const version = JSON.parse(stdout) as { serverVersion?: { gitVersion?: string; minor?: string } };
    assert.equal(version.serverVersion?.gitVersion, 'v1.32.13');
    assert.equal(version.serverVersion?.minor, '32');
  });
});

describe('kubectl logs goes through the API server to the fake kubelet', () => {
  test('current and previous logs of the crash-looping checkout pod', async () => {
    const current = await kubectl('logs', CHECKOUT_POD, '-n', SHOP_NAMESPACE);
    assert.equal(current.code, 0, current.stderr);
    assert.equal(current.stdout, fixtureLog('current'));
    const previous = await kubectl('logs', CHECKOUT_POD, '-n', SHOP_NAMESPACE, '--previous');
    assert.equal(previous.code, 0, previous.stderr);
    assert.equal(previous.stdout, fixtureLog('previous'));
    assert.notEqual(previous.stdout, current.stdout);
    assert.match(previous.stdout, new RegExp(`^${CHECKOUT_CRASH_LINE}$`, 'm'));
    const asked = kubeletRequests(cluster.kubeconfigPath).filter(
      (r) => r.path === `/containerLogs/${SHOP_NAMESPACE}/${CHECKOUT_POD}/${CHECKOUT_CONTAINER}`,
    );
    assert.ok(
      asked.some((r) => r.query.previous === 'true'),
      JSON.stringify(asked),
    );
  });

  test('--tail and --limit-bytes are honoured', async () => {
    const lines = fixtureLog('current').trimEnd().split('\n');
    assert.equal((await kubectl('logs', CHECKOUT_POD, '-n', SHOP_NAMESPACE, '--tail=2')).stdout, `${lines.slice(-2).join('\n')}\n`);
    assert.equal(
      (await kubectl('logs', CHECKOUT_POD, '-n', SHOP_NAMESPACE, '--limit-bytes=10')).stdout,
      fixtureLog('current').slice(0, 10),
    );
  });

  test('no previous logs for a container that never restarted', async () => {
    const result = await kubectl('logs', FRONTEND_PODS[0], '-n', SHOP_NAMESPACE, '--previous');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /previous terminated container "frontend" in pod .* not found/);
  });

  test('the viewer may read logs too', async () => {
    const result = await kubectl('--context', 'viewer', 'logs', CHECKOUT_POD, '-n', SHOP_NAMESPACE, '--previous');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(CHECKOUT_CRASH_LINE));
  });
});

describe('RBAC tells admin, viewer and nobody apart', () => {
  test('viewer may not delete pods; admin may', async () => {
    assert.equal((await kubectl('--context', 'viewer', 'auth', 'can-i', 'delete', 'pods', '-n', SHOP_NAMESPACE)).stdout.trim(), 'no');
    assert.equal((await kubectl('--context', 'admin', 'auth', 'can-i', 'delete', 'pods', '-n', SHOP_NAMESPACE)).stdout.trim(), 'yes');
  });

  test('viewer reads pods, nodes and events but not secrets', async () => {
    for (const resource of ['pods', 'nodes', 'events']) {
      assert.equal((await kubectl('--context', 'viewer', 'auth', 'can-i', 'list', resource, '-A')).stdout.trim(), 'yes', resource);
    }
    assert.equal((await kubectl('--context', 'viewer', 'auth', 'can-i', 'get', 'secrets', '-n', PAYMENTS_NAMESPACE)).stdout.trim(), 'no');
    const secret = await kubectl('--context', 'viewer', 'get', 'secret', PAYMENTS_DB_SECRET, '-n', PAYMENTS_NAMESPACE);
    assert.match(secret.stderr, /Forbidden/);
  });

  test('nobody is authenticated but forbidden to list pods', async () => {
    const result = await kubectl('--context', 'nobody', 'get', 'pods');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Forbidden/);
    assert.match(result.stderr, /User "nobody" cannot list resource "pods"/);
  });
});

describe('@kubernetes/client-node sees the same cluster', () => {
  test('lists the seeded pods and reads node-3 NotReady', async () => {
    const shop = await client().listNamespacedPod({ namespace: SHOP_NAMESPACE });
    const names = shop.items.map((pod) => pod.metadata?.name).sort();
    assert.deepEqual(names, [CART_POD, CHECKOUT_POD, ...FRONTEND_PODS].sort());
    const checkout = shop.items.find((pod) => pod.metadata?.name === CHECKOUT_POD);
    const container = checkout?.status?.containerStatuses?.[0];
    assert.equal(container?.restartCount, 7);
    assert.equal(container?.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(container?.lastState?.terminated?.exitCode, 1);
    const cart = shop.items.find((pod) => pod.metadata?.name === CART_POD);
    assert.equal(cart?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason, 'OOMKilled');
    assert.equal(cart?.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 137);

    const node = await client('viewer').readNode({ name: NOT_READY_NODE });
    const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
    assert.notEqual(ready?.status, 'True');
    assert.ok(ready?.reason !== undefined && ready.message !== undefined);
  });

  test('events point at their pods by uid', async () => {
    const api = client();
    const ledger = await api.readNamespacedPod({ namespace: PAYMENTS_NAMESPACE, name: LEDGER_POD });
    const events = await api.listNamespacedEvent({ namespace: PAYMENTS_NAMESPACE, fieldSelector: `involvedObject.name=${LEDGER_POD}` });
    const failed = events.items.find((event) => event.reason === 'FailedScheduling');
    assert.equal(failed?.type, 'Warning');
    assert.match(failed?.message ?? '', /^0\/3 nodes are available: /);
    assert.equal(failed?.involvedObject.uid, ledger.metadata?.uid);
    const shopEvents = await api.listNamespacedEvent({ namespace: SHOP_NAMESPACE, fieldSelector: `involvedObject.name=${CHECKOUT_POD}` });
    const backOff = shopEvents.items.find((event) => event.reason === 'BackOff');
    assert.match(backOff?.message ?? '', /Back-off restarting failed container/);
  });

  test('the payments-db Secret holds the canary', async () => {
    const secret = await client().readNamespacedSecret({ namespace: PAYMENTS_NAMESPACE, name: PAYMENTS_DB_SECRET });
    assert.equal(Buffer.from(secret.data?.password ?? '', 'base64').toString(), SECRET_CANARY);
  });
});

describe('seedPodNamespace', () => {
  const namespace = uniqueName('gen');
  after(async () => {
    // No kubelet to confirm graceful deletion, so delete at once; the namespace itself would stay
    // Terminating forever (no namespace controller), so it is left empty instead.
    await client().deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
  });

  test('creates N pods with the promised mix of states', async () => {
    const seeded = await seedPodNamespace({ kubeconfigPath: cluster.kubeconfigPath, namespace, count: 50 });
    assert.equal(seeded.names.length, 50);
    assert.equal(new Set(seeded.names).size, 50);
    assert.equal(
      Object.values(seeded.byState).reduce((sum, n) => sum + n, 0),
      50,
    );
    const { stdout } = await kubectl('get', 'pods', '-n', namespace, '--no-headers');
    const shown = stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[2]);
    assert.equal(shown.length, 50);
    const count = (state: string): number => shown.filter((s) => s === state).length;
    assert.equal(count('CrashLoopBackOff'), seeded.byState.CrashLoopBackOff);
    assert.equal(count('OOMKilled'), seeded.byState.OOMKilled);
    assert.equal(count('ImagePullBackOff'), seeded.byState.ImagePullBackOff);
    assert.equal(count('Pending'), seeded.byState.Pending);
    assert.equal(count('Completed'), seeded.byState.Completed);
    assert.equal(count('Running'), seeded.byState.Running + seeded.byState.NotReady);
    assert.ok(seeded.byState.CrashLoopBackOff > 0 && seeded.byState.Pending > 0);
  });
});
