import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { runTool } from '../../src/mcp/run-tool.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';
import {
  CART_POD,
  CHECKOUT_CONTAINER,
  CHECKOUT_CRASH_LINE,
  CHECKOUT_POD,
  FRONTEND_DEPLOYMENT,
  LEDGER_POD,
  NOT_READY_NODE,
  PAYMENTS_API_POD,
  SECRET_CANARY,
} from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { recordingCall, startMcpServerForTest, type CalledTool, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

describe('Kubernetes tools against the test cluster, over HTTP', () => {
  let mcp: TestMcpServer;
  let client: Client;
  let kubeconfigPath: string;
  const outputs: string[] = [];
  const call = recordingCall(() => client, outputs);

  before(async () => {
    kubeconfigPath = (await testCluster()).kubeconfigPath;
    mcp = await startMcpServerForTest({ kubeconfigPath });
    client = await mcp.connect();
  });
  after(() => mcp.stop());

  it('cluster_info: version, nodes with node-3 not Ready, namespaces', async () => {
    const r = await call('cluster_info');
    assert.equal(r.isError, undefined);
    assert.match(r.text, /^Kubernetes v1\.\d+/);
    // Other test files may add nodes to the shared cluster for a while (drain tests): count at least the fixtures.
    const nodes = new RegExp(`Nodes: (\\d+) \\((\\d+) Ready, (\\d+) not Ready: [^)]*\\b${NOT_READY_NODE} NotReady`).exec(r.text);
    assert.ok(nodes !== null, r.text);
    assert.ok(Number(nodes[1]) >= 3 && Number(nodes[2]) >= 2 && Number(nodes[3]) >= 1, r.text);
    assert.match(r.text, /Namespaces: \d+ \(.*payments.*shop/);
  });

  it('pods_list in shop: checkout CrashLoopBackOff with restarts, listed before healthy pods', async () => {
    const r = await call('pods_list', { namespace: 'shop' });
    assert.match(r.text, /^4 pods in namespace shop: .*CrashLoopBackOff.*need attention \(listed first\)/);
    const lines = r.text.split('\n');
    const checkout = lines.findIndex((l) => l.startsWith(CHECKOUT_POD));
    const frontend = lines.findIndex((l) => l.startsWith('frontend-'));
    assert.ok(checkout > 0 && checkout < frontend, r.text);
    assert.match(lines[checkout] ?? '', /0\/1\s+CrashLoopBackOff\s+7 \(\d+[smh] ago\).*checkout: Error \(exit 1\)/);
  });

  it('pod_logs previous: the panic line, fenced as untrusted cluster data', async () => {
    const r = await call('pod_logs', { namespace: 'shop', name: CHECKOUT_POD, container: CHECKOUT_CONTAINER, previous: true });
    assert.equal(r.isError, undefined);
    assert.match(r.text, /UNTRUSTED DATA from the cluster \(logs of previous instance of container checkout/);
    const fenced = readUntrustedFences(r.text);
    assert.equal(fenced.length, 1, r.text);
    assert.ok(fenced[0]?.includes(CHECKOUT_CRASH_LINE), r.text);
    assert.match(r.text, /\n``` end-untrusted-cluster-data-[0-9a-f]{12}$/);
  });

  it('containers_list: cart OOMKilled with exit 137', async () => {
    const r = await call('containers_list', { namespace: 'shop' });
    const cart = r.text.split('\n').find((l) => l.startsWith(CART_POD)) ?? '';
    assert.match(cart, /terminated: OOMKilled \(exit 137\).*OOMKilled \(exit 137\)/);
  });

  it('services_list and deployments_list', async () => {
    const services = await call('services_list', { namespace: 'shop' });
    assert.match(services.text, /checkout\s+ClusterIP\s+[\d.]+\s+80\/TCP\s+app=checkout/);
    const deployments = await call('deployments_list', {});
    assert.match(deployments.text, /shop\s+checkout\s+0\/1\s+1\s+0\s+.*Available=False/);
    // Healthy ones follow the degraded: with many test namespaces in the cluster, look in shop for the frontend.
    const shop = await call('deployments_list', { namespace: 'shop' });
    assert.match(shop.text, new RegExp(`${FRONTEND_DEPLOYMENT}\\s+2/2\\s+2\\s+2`));
  });

  it('kubectl: get pods -A, logs --previous, describe pod, get nodes', async () => {
    const all = await call('kubectl', { command: 'kubectl get pods -A' });
    for (const name of [CHECKOUT_POD, PAYMENTS_API_POD, LEDGER_POD]) assert.ok(all.text.includes(name), name);
    assert.match(all.text, /ImagePullBackOff/);
    const logs = await call('kubectl', { command: `kubectl logs ${CHECKOUT_POD} -c checkout --previous -n shop` });
    assert.ok(logs.text.includes(CHECKOUT_CRASH_LINE));
    const described = await call('kubectl', { command: `kubectl describe pod ${CHECKOUT_POD} -n shop` });
    assert.match(described.text, /status: CrashLoopBackOff/);
    assert.match(described.text, /lastTermination: Error \(exit 1\)/);
    assert.match(described.text, /untrusted-cluster-data-[0-9a-f]{12}\n.*BackOff/s);
    assert.doesNotMatch(described.text, /managedFields|last-applied/);
    const nodes = await call('kubectl', { command: 'get nodes' });
    assert.match(nodes.text, new RegExp(`${NOT_READY_NODE}\\s+NotReady`));
  });

  it('kubectl refuses writes (Secrets: test/mcp/kubectl-commands.test.ts); top explains the missing metrics API', async () => {
    for (const command of ['kubectl delete pod x -n shop', 'kubectl exec -it x -- sh']) {
      const r = await call('kubectl', { command });
      assert.equal(r.isError, true, command);
      assert.match(r.text, /not allowed/);
    }
    const top = await call('kubectl', { command: 'top pods -n shop' });
    assert.equal(top.isError, true);
    assert.match(top.text, /metrics API \(metrics\.k8s\.io\) is not available/);
  });

  it('a nonexistent pod is an isError result that says what to do', async () => {
    const r = await call('pod_logs', { namespace: 'shop', name: 'no-such-pod' });
    assert.equal(r.isError, true);
    assert.match(r.text, /pods "no-such-pod" not found\. Use pods_list with namespace "shop"/);
    const described = await call('kubectl', { command: 'describe pod no-such-pod -n shop' });
    assert.equal(described.isError, true);
    assert.match(described.text, /not found/);
  });

  it('logs of a pod that never started are an isError result pointing at diagnose', async () => {
    const r = await call('pod_logs', { namespace: 'payments', name: LEDGER_POD });
    assert.equal(r.isError, true);
    assert.match(r.text, /no logs for pod payments\/ledger-0: its container has not started.*Use diagnose or pod_get/);
  });

  it('the nobody identity gets an isError forbidden result', async () => {
    const nobody = createKubeClient({ kubeconfigPath, context: 'nobody' });
    const tool = allTools().find((t) => t.name === 'pods_list');
    assert.ok(tool);
    const r = await runTool({ tool, args: { namespace: 'shop', limit: 10 }, context: { kube: nobody } });
    assert.equal(r.isError, true);
    assert.match((r.content[0] as { text: string }).text, /^forbidden: pods is forbidden: User "[^"]*nobody[^"]*" cannot list/);
  });

  it('pagination: limit and continue walk the pods', async () => {
    const first = await call('pods_list', { limit: 2 });
    const token = first.structuredContent?.continue;
    assert.equal(typeof token, 'string');
    assert.match(first.text, /call again with continue="/);
    const second = await call('pods_list', { limit: 2, continue: token });
    const names = (r: CalledTool) => (r.structuredContent?.pods as { name: string }[]).map((p) => p.name);
    assert.equal(names(first).filter((n) => names(second).includes(n)).length, 0);
  });

  it('no output contains the Secret canary', () => {
    assert.ok(outputs.length > 10);
    for (const output of outputs) assert.ok(!output.includes(SECRET_CANARY));
  });
});
