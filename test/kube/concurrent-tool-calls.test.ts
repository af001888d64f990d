import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CHECKOUT_DEPLOYMENT, CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

const CALLS = 1_000;
/** Read tools that make several API calls each (diagnose reads the pod, its events and its logs). */
const calls = [
  { name: 'diagnose', arguments: { kind: 'Pod', namespace: SHOP_NAMESPACE, name: CHECKOUT_POD } },
  { name: 'diagnose', arguments: { kind: 'Deployment', namespace: SHOP_NAMESPACE, name: CHECKOUT_DEPLOYMENT } },
  { name: 'pods_list', arguments: { namespace: SHOP_NAMESPACE } },
];

describe('Kubernetes calls under concurrency, through the real MCP server', () => {
  let mcp: TestMcpServer;
  let clients: Client[];

  before(async () => {
    mcp = await startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath });
    // A few MCP sessions, as several workers hold: the MCP server's one pool of API connections serves them all.
    clients = await Promise.all(Array.from({ length: 4 }, () => mcp.connect()));
  });
  after(async () => {
    await mcp.stop();
  });

  it(`answers ${CALLS} concurrent read tool calls with zero failed results and no transport error text`, { timeout: 300_000 }, async () => {
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => {
        const call = calls[i % calls.length] ?? calls[0];
        const client = clients[i % clients.length];
        assert.ok(call !== undefined && client !== undefined);
        return client.callTool(call, undefined, { timeout: 280_000 }) as Promise<CallToolResult>;
      }),
    );
    const failed = results.filter((r) => r.isError === true);
    const texts = results.map((r) => (r.content[0] as { text?: string } | undefined)?.text ?? '');
    assert.equal(
      failed.length,
      0,
      `${failed.length} of ${CALLS} failed; first: ${String(JSON.stringify(failed[0]?.content)).slice(0, 400)}`,
    );
    assert.ok(
      texts.every((t) => !/premature close|socket hang up|ECONNRESET|FetchError/i.test(t)),
      'a transport error reached the result text',
    );
    assert.ok(
      texts.filter((t, i) => i % calls.length === 0).every((t) => t.includes('CrashLoopBackOff')),
      'every pod diagnosis names the crash loop',
    );
  });
});
