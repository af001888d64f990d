import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { createKubeClient, type KubeClient } from '../../src/kube/create-kube-client.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { testRedisUrl } from '../../dev/services/shared.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool, createNamespace, deploymentBody } from './write-support.ts';

const READ_TOKEN = 'ide-read-token-000000000000000000000001';
const OTHER_READ_TOKEN = 'ide-read-token-000000000000000000000002';

/** An IDE gets a credential that can only read (MCP_READ_TOKENS); MCP_TOKEN stays the bot's. */
describe('read tokens: IDEs and other MCP clients can only read', () => {
  let mcp: TestMcpServer;
  let admin: KubeClient;
  let redis: Redis;
  let ns: string;
  const readOnlyNames = allTools()
    .filter((tool) => tool.annotations.readOnlyHint)
    .map((tool) => tool.name)
    .sort();

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    admin = createKubeClient({ kubeconfigPath });
    ns = await createNamespace(admin, 'readtok');
    await admin.apps.createNamespacedDeployment({ namespace: ns, body: deploymentBody('web', { replicas: 2 }) });
    mcp = await startMcpServerForTest({
      kubeconfigPath,
      config: { MCP_ENABLE_WRITE_TOOLS: true, MCP_READ_TOKENS: [READ_TOKEN, OTHER_READ_TOKEN] },
    });
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
  });
  after(async () => {
    await mcp.stop();
    redis.disconnect();
  });

  it('tools/list shows a read token only the read-only tools; the bot token sees the write tools too', async () => {
    for (const token of [READ_TOKEN, OTHER_READ_TOKEN]) {
      const { tools } = await (await mcp.connect(token)).listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), readOnlyNames);
      assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
    }
    const { tools } = await (await mcp.connect()).listTools();
    assert.ok(tools.some((t) => t.name === 'deployment_scale'));
  });

  it('a read token reads', async () => {
    const result = await callTool(await mcp.connect(READ_TOKEN), 'deployments_list', { namespace: ns });
    assert.equal(result.isError, false, result.text);
    assert.match(result.text, /web/);
  });

  it('a read token calling a write tool is refused, even as a dry run or with a valid grant, and each attempt is audited', async () => {
    const client = await mcp.connect(READ_TOKEN);
    const scale = { namespace: ns, name: 'web', replicas: 7 };
    const attempts = [
      await callTool(client, 'deployment_scale', scale),
      await callTool(client, 'deployment_scale', { ...scale, dryRun: false }),
      await callTool(
        client,
        'deployment_scale',
        { ...scale, dryRun: false },
        { grant: mcp.grant({ tool: 'deployment_scale', arguments: scale }) },
      ),
    ];
    for (const result of attempts) {
      assert.equal(result.isError, true, result.text);
      assert.match(result.text, /^refused: deployment_scale changes the cluster, and this token \(MCP_READ_TOKENS\) may only read/);
    }
    assert.equal((await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas, 2);
    const refused = (await readAudit(redis, mcp.prefix)).events.filter(
      (e): e is Extract<AuditEvent, { kind: 'mcp_call_refused' }> => e.kind === 'mcp_call_refused',
    );
    assert.deepEqual(
      refused.map((e) => [e.token, e.tool, e.code, e.arguments]),
      [
        ['read', 'deployment_scale', 'read_only_token', scale],
        ['read', 'deployment_scale', 'read_only_token', { ...scale, dryRun: false }],
        ['read', 'deployment_scale', 'read_only_token', { ...scale, dryRun: false }],
      ],
    );
  });

  it('a batch carrying a write call is refused whole (403) and the call audited', async () => {
    const call = (id: number, name: string) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: { namespace: ns, name: 'web', replicas: 9 } },
    });
    const before = (await readAudit(redis, mcp.prefix)).events.length;
    const response = await fetch(mcp.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${READ_TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify([call(1, 'deployments_list'), call(2, 'deployment_scale')]),
    });
    assert.equal(response.status, 403);
    const events = (await readAudit(redis, mcp.prefix)).events.slice(before);
    assert.deepEqual(
      events.map((e) => [e.kind, 'code' in e ? e.code : undefined]),
      [['mcp_call_refused', 'read_only_token']],
    );
    assert.equal((await admin.apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas, 2);
  });

  it("a read token may not name a chat user (X-Ai4k8s-User is the bot's to vouch for)", async () => {
    await assert.rejects(mcp.connect(READ_TOKEN, { 'x-ai4k8s-user': 'slack:T0TEST:U0ADMIN' }), /403|Forbidden/);
  });
});
