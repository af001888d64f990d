import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { healthContentSchema } from '../../src/contract/health-content.ts';
import { TOOL_ERROR_META_KEY, toolErrorContent } from '../../src/contract/tool-error.ts';
import { TOOL_NAMES } from '../../src/contract/tool-names.ts';
import { writeContentSchema } from '../../src/contract/write-content.ts';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { createMcpServer } from '../../src/mcp/create-mcp-server.ts';
import { ToolFailure } from '../../src/mcp/errors.ts';
import { READ_ONLY, type ToolDefinition, type ToolResult } from '../../src/mcp/tool-definition.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';
import { monitoringClients } from '../../src/monitoring/monitoring-clients.ts';

/** A kubeconfig whose API server is a port nothing listens on: every call fails to connect. */
async function unreachableKubeconfig(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-contract-')), 'kubeconfig');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\n` +
      `users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: u\ncurrent-context: gone\n`,
  );
  return path;
}

const everyTool = () =>
  allTools({
    monitoring: monitoringClients({
      PROMETHEUS_URL: 'http://127.0.0.1:9',
      ALERTMANAGER_URL: 'http://127.0.0.1:9',
      GRAFANA_URL: 'http://127.0.0.1:9',
    }),
  });

/** A health_summary stand-in whose handler answers whatever the test says. */
const healthLike = (name: string, answer: () => Promise<ToolResult>): ToolDefinition => ({
  name,
  title: name,
  description: 'test tool',
  inputSchema: {},
  outputSchema: healthContentSchema,
  annotations: READ_ONLY,
  handler: answer,
});

describe('the worker ↔ MCP server contract', () => {
  it('names only tools the server offers, and every tool whose structuredContent the worker reads declares its outputSchema', () => {
    const tools = new Map(everyTool().map((tool) => [tool.name, tool]));
    for (const name of Object.values(TOOL_NAMES)) assert.ok(tools.has(name), `contract tool ${name} is not offered by the MCP server`);
    for (const name of [
      TOOL_NAMES.clusterInfo,
      TOOL_NAMES.changesList,
      TOOL_NAMES.healthSummary,
      TOOL_NAMES.alertsList,
      TOOL_NAMES.prometheusRangeQuery,
    ]) {
      assert.ok(tools.get(name)?.outputSchema !== undefined, `${name} declares no outputSchema`);
    }
    const writes = [...tools.values()].filter((tool) => !tool.annotations.readOnlyHint);
    assert.ok(writes.length >= 8);
    for (const tool of writes)
      assert.equal(tool.outputSchema, writeContentSchema, `write tool ${tool.name} must declare the write contract`);
  });

  describe('through a real MCP client (InMemoryTransport)', () => {
    let client: Client;
    before(async () => {
      const kube = createKubeClient({ kubeconfigPath: await unreachableKubeconfig(), requestTimeoutMs: 2_000 });
      const tools = [
        ...everyTool().filter((tool) => tool.name === TOOL_NAMES.healthSummary),
        healthLike('shape_wrong', () => Promise.resolve({ text: 'ok', structuredContent: { scope: {}, failingWorkloads: 'none' } })),
        healthLike('shape_missing', () => Promise.resolve({ text: 'ok' })),
        healthLike('fails_coded', () => Promise.reject(new ToolFailure('pods "x" not found', { code: 'tool_failed' }))),
      ];
      const server = createMcpServer({ tools, context: { kube } });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      client = new Client({ name: 't', version: '0' });
      await server.connect(serverSide);
      await client.connect(clientSide);
      await client.listTools(); // the client checks results against the outputSchemas it listed
    });
    after(() => client.close());

    it('lists the outputSchema as JSON Schema', async () => {
      const { tools } = await client.listTools();
      const health = tools.find((tool) => tool.name === TOOL_NAMES.healthSummary);
      assert.equal(health?.outputSchema?.type, 'object');
      assert.ok(health.outputSchema.required?.includes('failingWorkloads'));
    });

    it('the SDK refuses a structuredContent that does not match the outputSchema, as an isError result', async () => {
      const wrong = (await client.callTool({ name: 'shape_wrong', arguments: {} })) as CallToolResult;
      assert.equal(wrong.isError, true);
      assert.match((wrong.content[0] as { text: string }).text, /Output validation error: Invalid structured content for tool shape_wrong/);
      const missing = (await client.callTool({ name: 'shape_missing', arguments: {} })) as CallToolResult;
      assert.equal(missing.isError, true);
      assert.match((missing.content[0] as { text: string }).text, /has an output schema but no structured content/);
    });

    it('a failed call of a tool with an outputSchema is an isError result, its coded error in _meta (the SDK client would throw on it in structuredContent)', async () => {
      const failed = (await client.callTool({ name: 'fails_coded', arguments: {} })) as CallToolResult;
      assert.equal(failed.isError, true);
      assert.equal(failed.structuredContent, undefined);
      assert.deepEqual(toolErrorContent(failed), { error: { code: 'tool_failed' } });
      assert.equal((failed._meta?.[TOOL_ERROR_META_KEY] as { code: string }).code, 'tool_failed');
    });

    it('an unreachable API server still reaches the worker as kube_unreachable (what read retries key on)', async () => {
      const failed = (await client.callTool({ name: TOOL_NAMES.healthSummary, arguments: {} })) as CallToolResult;
      assert.equal(failed.isError, true);
      assert.deepEqual(toolErrorContent(failed), { error: { code: 'kube_unreachable' } });
    });
  });
});
