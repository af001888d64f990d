import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpToolboxPool } from '../../src/agent/mcp-toolbox-pool.ts';

/** A stateless MCP server whose `whoami` tool answers with the caller header it received. */
async function startWhoamiServer() {
  const initializesBy = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const caller = String(req.headers['x-ai4k8s-user'] ?? '(none)');
      const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as { method?: string } | null;
      if (body?.method === 'initialize') initializesBy.set(caller, (initializesBy.get(caller) ?? 0) + 1);
      const mcp = new McpServer({ name: 'whoami', version: '1.0.0' });
      mcp.registerTool('whoami', { description: 'who is calling' }, () => ({ content: [{ type: 'text', text: caller }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      void mcp.connect(transport).then(() => transport.handleRequest(req, res, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    initializesBy,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('mcpToolboxPool', () => {
  it('keeps one session per chat identity, never mixes identities, and evicts the least recently used', async () => {
    const server = await startWhoamiServer();
    const pool = mcpToolboxPool({ url: server.url, token: 't', maxIdentities: 2 });
    try {
      const alice = 'slack:T1:UALICE';
      const bob = 'slack:T1:UBOB';
      const [a, b] = await Promise.all([pool.acquire(alice), pool.acquire(bob)]);
      const [fromA, fromB] = await Promise.all([a.call('whoami', {}), b.call('whoami', {})]);
      assert.equal(fromA.text, alice);
      assert.equal(fromB.text, bob);
      await Promise.all([a.close(), b.close()]);
      assert.equal((await (await pool.acquire(alice)).call('whoami', {})).text, alice);
      assert.equal(server.initializesBy.get(alice), 1, 'alice reconnected although her session was live');

      // A third identity pushes out the least recently used (bob); bob reconnects when he returns.
      assert.equal((await (await pool.acquire('slack:T1:UCAROL')).call('whoami', {})).text, 'slack:T1:UCAROL');
      assert.equal((await (await pool.acquire(bob)).call('whoami', {})).text, bob);
      assert.equal(server.initializesBy.get(bob), 2);
      assert.equal((await (await pool.acquire(undefined)).call('whoami', {})).text, '(none)');
    } finally {
      await pool.close();
      await server.stop();
    }
  });
});
