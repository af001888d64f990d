import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { buildToolList } from '../../src/mcp/build-tool-list.ts';
import { createMcpServer } from '../../src/mcp/create-mcp-server.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';
import { monitoringClients } from '../../src/monitoring/monitoring-clients.ts';

/** What a default (read-only) server offers. */
const readOnlyTools = (options?: Parameters<typeof allTools>[0]) => allTools(options).filter((tool) => tool.annotations.readOnlyHint);

/** Monitoring backends for the HTTP server below, so tools/list (and its snapshot) shows the monitoring tools; listing calls none of them. */
const MONITORING = { PROMETHEUS_URL: 'http://127.0.0.1:9', ALERTMANAGER_URL: 'http://127.0.0.1:9', GRAFANA_URL: 'http://127.0.0.1:9' };
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

/** A kubeconfig whose API server is a port nothing listens on: every call fails to connect. */
async function unreachableKubeconfig(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-kube-')), 'kubeconfig');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\n` +
      `users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: u\ncurrent-context: gone\n`,
  );
  return path;
}

/** POSTs an initialize request with a Host header of our choosing (fetch does not let a caller set Host). */
function initializeWithHost(url: string, token: string, host: string): Promise<number> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          host,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => ((result as CallToolResult).content[0] as { text: string }).text;

describe('MCP server built per request', () => {
  it('shares one JSON Schema validator instead of building an Ajv instance per server', async () => {
    const kube = createKubeClient({ kubeconfigPath: await unreachableKubeconfig(), requestTimeoutMs: 1_000 });
    const tools = buildToolList({ tools: allTools(), readOnly: true });
    // The SDK keeps the validator private; it is what each `new McpServer` built its own Ajv for (bench/burst.ts profile).
    const validatorOf = (server: ReturnType<typeof createMcpServer>) =>
      (server.server as unknown as { _jsonSchemaValidator: unknown })._jsonSchemaValidator;
    const [first, second] = [createMcpServer({ tools, context: { kube } }), createMcpServer({ tools, context: { kube } })];
    assert.ok(validatorOf(first) !== undefined);
    assert.equal(validatorOf(first), validatorOf(second));
  });
});

describe('MCP server in-process (InMemoryTransport)', () => {
  let client: Client;
  before(async () => {
    const kube = createKubeClient({ kubeconfigPath: await unreachableKubeconfig(), requestTimeoutMs: 2_000 });
    const server = createMcpServer({ tools: buildToolList({ tools: allTools(), readOnly: true }), context: { kube } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 't', version: '0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });
  after(() => client.close());

  it('identifies as ai4k8s with the package version', () => {
    const packageVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string })
      .version;
    assert.deepEqual(client.getServerVersion(), { name: 'ai4k8s', version: packageVersion });
  });

  it('lists every tool, each read-only with all four hints stated', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      readOnlyTools().map((t) => t.name),
    );
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.annotations?.destructiveHint, false, tool.name);
      assert.equal(typeof tool.annotations?.idempotentHint, 'boolean', tool.name);
      assert.equal(typeof tool.annotations?.openWorldHint, 'boolean', tool.name);
      assert.ok(tool.title, tool.name);
    }
  });

  it('an unreachable API server is an isError result that says so, not a throw', async () => {
    const result = await client.callTool({ name: 'pods_list', arguments: { namespace: 'shop' } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /^the Kubernetes API did not answer \(connection refused: ECONNREFUSED, retried 3×\)/);
    assert.doesNotMatch(textOf(result), /127\.0\.0\.1|https?:/, 'the API server URL is not for the model');
  });

  it('bad arguments are an isError result naming the argument', async () => {
    const result = await client.callTool({ name: 'pod_logs', arguments: { namespace: 'Shop!', name: 'x', tail: 10_000_000 } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /namespace/);
    assert.match(textOf(result), /tail/);
  });

  it('a refused kubectl command is an isError result listing what is allowed', async () => {
    const result = await client.callTool({ name: 'kubectl', arguments: { command: 'kubectl delete pod x -n shop' } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /kubectl delete is not allowed/);
    assert.match(textOf(result), /kubectl logs <pod>/);
  });
});

describe('MCP server over HTTP (real client, bearer token)', () => {
  let mcp: TestMcpServer;
  before(async () => {
    mcp = await startMcpServerForTest({ kubeconfigPath: await unreachableKubeconfig(), config: MONITORING });
  });
  after(() => mcp.stop());

  const initialize = (headers: Record<string, string>) =>
    fetch(mcp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } },
      }),
    });

  it('refuses a missing or wrong token with 401 and WWW-Authenticate: Bearer', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${mcp.token}` },
      { authorization: `Bearer ${mcp.token}x` },
    ]) {
      const res = await initialize(headers);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      await res.body?.cancel();
    }
  });

  it('the real MCP client with a wrong token fails to connect', async () => {
    await assert.rejects(mcp.connect('not-the-token'), /401|Unauthorized/);
  });

  it('with the right token, tools/list returns every tool with annotations', async () => {
    const client = await mcp.connect();
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name).sort(),
      readOnlyTools({ monitoring: monitoringClients(MONITORING) })
        .map((t) => t.name)
        .sort(),
    );
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
  });

  it('GET and DELETE /mcp are 405; a body over the limit is 413; health still answers', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcp.url, { method, headers: { authorization: `Bearer ${mcp.token}` } });
      assert.equal(res.status, 405, method);
      assert.equal(((await res.json()) as { jsonrpc: string }).jsonrpc, '2.0');
    }
    const big = await fetch(mcp.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${mcp.token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(2_000_000),
    });
    assert.equal(big.status, 413);
    await big.body?.cancel();
    assert.equal((await fetch(`${mcp.role.urls.http}/healthz`)).status, 200);
  });

  it('write tools are absent by default, and calling one is refused', async () => {
    const client = await mcp.connect();
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name),
      [],
    );
    const r = await client.callTool({
      name: 'deployment_scale',
      arguments: { namespace: 'shop', name: 'checkout', replicas: 1, dryRun: false },
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /Tool deployment_scale not found/);
  });

  it('Host header: loopback names and HOST pass; any other name is 403 before any MCP processing', async () => {
    const port = new URL(mcp.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST']) {
      assert.equal(await initializeWithHost(mcp.url, mcp.token, host), 200, host);
    }
    for (const host of [`evil.example:${port}`, 'ai4k8s-mcp', `127.0.0.1.nip.io:${port}`, 'localhost@evil.example']) {
      assert.equal(await initializeWithHost(mcp.url, mcp.token, host), 403, host);
    }
    // The token is checked first: a stranger learns nothing about which hosts are served.
    assert.equal(await initializeWithHost(mcp.url, 'wrong-token', 'evil.example'), 401);
  });

  it('Host header: MCP_ALLOWED_HOSTS adds the in-cluster service names', async () => {
    const inCluster = await startMcpServerForTest({
      kubeconfigPath: await unreachableKubeconfig(),
      config: { HOST: '0.0.0.0', MCP_ALLOWED_HOSTS: ['ai4k8s-mcp', 'ai4k8s-mcp.ai4k8s.svc', 'ai4k8s-mcp.ai4k8s.svc.cluster.local'] },
    });
    try {
      const url = `http://127.0.0.1:${new URL(inCluster.url).port}/mcp`;
      for (const host of ['ai4k8s-mcp:3001', 'ai4k8s-mcp.ai4k8s.svc', 'ai4k8s-mcp.ai4k8s.svc.cluster.local.', '127.0.0.1']) {
        assert.equal(await initializeWithHost(url, inCluster.token, host), 200, host);
      }
      for (const host of ['ai4k8s-mcp.other.svc', '0.0.0.0', 'evil.example'])
        assert.equal(await initializeWithHost(url, inCluster.token, host), 403, host);
    } finally {
      await inCluster.stop();
    }
  });

  it('tools/list matches the checked-in snapshot (UPDATE_SNAPSHOTS=1 to regenerate)', async () => {
    const client = await mcp.connect();
    const { tools } = await client.listTools();
    const snapshotPath = join(import.meta.dirname, 'tools-list.snapshot.json');
    const actual = `${JSON.stringify(tools, null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotPath, actual);
    assert.equal(actual, readFileSync(snapshotPath, 'utf8'), 'tools/list changed: review the diff and run with UPDATE_SNAPSHOTS=1');
  });
});
