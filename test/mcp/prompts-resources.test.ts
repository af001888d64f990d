import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

describe('MCP prompts and resources (real MCP role over HTTP, test cluster)', () => {
  let server: TestMcpServer;
  let client: Client;
  before(async () => {
    server = await startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath });
    client = await server.connect();
  });
  after(() => server.stop());

  it('prompts/list, resources/list and resources/templates/list match the checked-in snapshot (UPDATE_SNAPSHOTS=1 to regenerate)', async () => {
    const [prompts, resources, templates] = await Promise.all([
      client.listPrompts(),
      client.listResources(),
      client.listResourceTemplates(),
    ]);
    const actual = `${JSON.stringify({ prompts: prompts.prompts, resources: resources.resources, resourceTemplates: templates.resourceTemplates }, null, 2)}\n`;
    const snapshotPath = join(import.meta.dirname, 'prompts-resources.snapshot.json');
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotPath, actual);
    assert.equal(
      actual,
      readFileSync(snapshotPath, 'utf8'),
      'prompts or resources changed: review the diff and run with UPDATE_SNAPSHOTS=1',
    );
  });

  it('a prompt expands to a question naming the object and the tool that answers it', async () => {
    const prompt = await client.getPrompt({
      name: 'diagnose_workload',
      arguments: { namespace: SHOP_NAMESPACE, name: 'checkout', kind: 'Deployment' },
    });
    const message = prompt.messages[0];
    assert.equal(message?.role, 'user');
    const text = message?.content.type === 'text' ? message.content.text : '';
    assert.match(text, /^Diagnose Deployment shop\/checkout/);
    assert.match(text, /diagnose tool/);
    await assert.rejects(
      client.getPrompt({ name: 'diagnose_workload', arguments: { namespace: 'Not A Namespace', name: 'x' } }),
      /namespace/,
    );
  });

  it("a namespace's health shows its failing pods and fenced events, read through the tools", async () => {
    const result = await client.readResource({ uri: `ai4k8s://namespaces/${SHOP_NAMESPACE}/health` });
    const text = resourceText(result.contents[0]);
    assert.match(text, /^# A namespace's health/);
    assert.ok(text.includes(CHECKOUT_POD), text.slice(0, 2_000));
    assert.match(text, /CrashLoopBackOff/);
    assert.match(text, /## List events/);
    assert.ok(readUntrustedFences(text).length > 0, 'event messages are fenced as untrusted cluster data');
  });

  it('the cluster overview names the NotReady node', async () => {
    const result = await client.readResource({ uri: 'ai4k8s://cluster/overview' });
    const text = resourceText(result.contents[0]);
    assert.match(text, /node-3/);
    assert.match(text, /NotReady/);
  });

  it('needs the token like every other request', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/list', params: {} }),
    });
    assert.equal(response.status, 401);
  });

  it('a resource whose tools are all withheld from the server is not offered', async () => {
    const limited = await startMcpServerForTest({
      kubeconfigPath: (await testCluster()).kubeconfigPath,
      config: { MCP_DENIED_TOOLS: ['cluster_info', 'nodes_list', 'namespaces_list'] },
    });
    try {
      const listed = await (await limited.connect()).listResources();
      assert.deepEqual(
        listed.resources.map((r) => r.name),
        [],
      );
    } finally {
      await limited.stop();
    }
  });
});

function resourceText(content: { text: string } | { blob: string } | undefined): string {
  return content !== undefined && 'text' in content ? content.text : '';
}
