import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKubeClient, type KubeClient } from '../../src/kube/create-kube-client.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool, createNamespace, deploymentBody } from './write-support.ts';

const VIEWER = 'slack:T1:UVIEWER';
const NOBODY = 'slack:T1:UNOBODY';
const ROOT = 'teams:tenant-1:root-user';
const GROUPLESS = 'teams:tenant-1:plain-user';

function writePolicy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-policy-')), 'policy.yaml');
  writeFileSync(
    path,
    [
      'identities:',
      '  unmapped: refuse',
      '  users:',
      `    "${VIEWER}": { user: viewer }`,
      `    "${NOBODY}": { user: nobody }`,
      // Two groups: only if each travels as its own Impersonate-Group header is system:masters one of them.
      `    "${ROOT}": { user: someone-else, groups: [ai4k8s-test:nothing, system:masters] }`,
      `    "${GROUPLESS}": { user: someone-else, groups: [ai4k8s-test:nothing] }`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('identity: the caller names a chat user, the cluster sees the mapped Kubernetes identity', () => {
  let mcp: TestMcpServer;
  let admin: KubeClient;
  let ns: string;
  const as = (chatUser: string | undefined) => mcp.connect(undefined, chatUser === undefined ? {} : { 'x-ai4k8s-user': chatUser });
  const replicas = async () => (await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas;

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    admin = createKubeClient({ kubeconfigPath });
    ns = await createNamespace(admin, 'identity');
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('web', { replicas: 2 }) });
    mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_ENABLE_WRITE_TOOLS: true, AI4K8S_POLICY: writePolicy() } });
  });
  after(() => mcp.stop());

  it('viewer: reading works; scaling is forbidden by Kubernetes RBAC and changes nothing', async () => {
    const client = await as(VIEWER);
    const pods = await callTool(client, 'pods_list', { namespace: 'shop' });
    assert.equal(pods.isError, false, pods.text);
    assert.match(pods.text, /pods in namespace shop/);
    for (const dryRun of [true, false]) {
      // The real call carries an approval grant for the viewer's call, so it reaches Kubernetes, whose RBAC says no.
      const args = { namespace: ns, name: 'web', replicas: 7 };
      const grant = dryRun ? {} : { grant: mcp.grant({ tool: 'deployment_scale', arguments: args, user: VIEWER }) };
      const scale = await callTool(client, 'deployment_scale', { ...args, dryRun }, grant);
      assert.equal(scale.isError, true);
      assert.match(scale.text, /^forbidden: .*User "viewer" cannot (update|patch) resource "deployments\/scale"/);
    }
    assert.equal(await replicas(), 2);
  });

  it('nobody: a clear forbidden result, naming the user', async () => {
    const r = await callTool(await as(NOBODY), 'pods_list', { namespace: 'shop' });
    assert.equal(r.isError, true);
    assert.match(
      r.text,
      /^forbidden: pods is forbidden: User "nobody" cannot list resource "pods" in API group "" in the namespace "shop"\. The Kubernetes identity in use lacks RBAC permission/,
    );
  });

  it('every group is sent as its own Impersonate-Group header', async () => {
    // Control: the same user without system:masters may not even read, so the group is what grants it.
    const control = await callTool(await as(GROUPLESS), 'deployment_scale', { namespace: ns, name: 'web', replicas: 3 });
    assert.match(control.text, /^forbidden: .*User "someone-else" cannot get resource "deployments"/);
    const r = await callTool(await as(ROOT), 'deployment_scale', { namespace: ns, name: 'web', replicas: 3 });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /^DRY RUN \(nothing changed\): scale deployment .*replicas 2 → 3/);
  });

  it('an unmapped chat user, or none, is refused (unmapped: refuse) — tools/list still answers', async () => {
    for (const chatUser of ['slack:T1:USTRANGER', undefined]) {
      const client = await as(chatUser);
      assert.ok((await client.listTools()).tools.length > 0);
      const r = await callTool(client, 'pods_list', { namespace: 'shop' });
      assert.equal(r.isError, true, String(chatUser));
      assert.match(
        r.text,
        chatUser === undefined
          ? /^refused: .*named no user \(X-Ai4k8s-User header\)/
          : /^refused: chat user slack:T1:USTRANGER has no Kubernetes identity/,
      );
    }
  });

  it('a malformed X-Ai4k8s-User header is a 400 before any MCP processing', async () => {
    const res = await fetch(mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mcp.token}`,
        'x-ai4k8s-user': 'no spaces allowed',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /X-Ai4k8s-User|x-ai4k8s-user/i);
  });
});

describe('multi-cluster: with several kubeconfig contexts every tool takes `context`', () => {
  let mcp: TestMcpServer;
  let admin: KubeClient;
  let ns: string;
  before(async () => {
    const { kubeconfigPath } = await testCluster();
    admin = createKubeClient({ kubeconfigPath });
    ns = await createNamespace(admin, 'contexts');
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('web', { replicas: 2 }) });
    mcp = await startMcpServerForTest({ kubeconfigPath, config: { MCP_ENABLE_WRITE_TOOLS: true } });
  });
  after(() => mcp.stop());

  it('tools/list: every tool has an optional context argument listing the kubeconfig contexts', async () => {
    const { tools } = await (await mcp.connect()).listTools();
    for (const tool of tools) {
      const context = tool.inputSchema.properties?.context as { enum?: string[]; description?: string } | undefined;
      assert.deepEqual(context?.enum, ['admin', 'viewer', 'nobody'], tool.name);
      assert.match(context?.description ?? '', /default admin/);
      assert.ok(!(tool.inputSchema.required ?? []).includes('context'), tool.name);
    }
  });

  it('context: viewer acts as viewer, nobody as nobody; the default is the current context', async () => {
    const client = await mcp.connect();
    const viewerRead = await callTool(client, 'pods_list', { namespace: 'shop', context: 'viewer' });
    assert.equal(viewerRead.isError, false, viewerRead.text);
    const viewerScale = await callTool(client, 'deployment_scale', { namespace: ns, name: 'web', replicas: 4, context: 'viewer' });
    assert.equal(viewerScale.isError, true);
    assert.match(viewerScale.text, /User "viewer" cannot/);
    const nobodyRead = await callTool(client, 'pods_list', { namespace: 'shop', context: 'nobody' });
    assert.match(nobodyRead.text, /^forbidden: .*User "nobody"/);
    const adminScale = await callTool(client, 'deployment_scale', { namespace: ns, name: 'web', replicas: 4 });
    assert.equal(adminScale.isError, false, adminScale.text);
    assert.equal((adminScale.structured?.preview as { target: { context: string } }).target.context, 'admin');
  });

  it('an unknown context is an isError result naming the argument', async () => {
    const r = await callTool(await mcp.connect(), 'pods_list', { namespace: 'shop', context: 'prod' });
    assert.equal(r.isError, true);
    assert.match(r.text, /context/);
    assert.match(r.text, /admin.*viewer.*nobody/);
  });
});
