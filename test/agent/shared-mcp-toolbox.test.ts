import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { ToolServerUnavailableError } from '../../src/agent/errors.ts';
import { sharedMcpToolbox } from '../../src/agent/shared-mcp-toolbox.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { startRoundRobinProxy } from '../../dev/support/round-robin-proxy.ts';

/** A minimal stateless MCP server with one tool, counting initialize handshakes. */
async function startTinyMcp(port: number) {
  const stats = { initializes: 0, calls: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as { method?: string } | null;
      if (body?.method === 'initialize') stats.initializes += 1;
      if (body?.method === 'tools/call') stats.calls += 1;
      const mcp = new McpServer({ name: 'tiny', version: '1.0.0' });
      mcp.registerTool('echo', { description: 'echo', inputSchema: { say: z.string() } }, ({ say }) => ({
        content: [{ type: 'text', text: say }],
      }));
      mcp.registerTool('look', { description: 'read', inputSchema: {}, annotations: { readOnlyHint: true } }, () => ({
        content: [{ type: 'text', text: `seen by ${port}` }],
      }));
      mcp.registerTool('slow', { description: 'answers after 400 ms', inputSchema: { say: z.string() } }, async ({ say }) => {
        await sleep(400);
        return { content: [{ type: 'text', text: say }] };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      void mcp.connect(transport).then(() => transport.handleRequest(req, res, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('sharedMcpToolbox', () => {
  it('shares one session across jobs, and reconnects after the server comes back', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    let server = await startTinyMcp(port);
    const shared = sharedMcpToolbox({ url, token: 't' });
    try {
      const [a, b] = await Promise.all([shared.acquire(), shared.acquire()]);
      assert.deepEqual(
        a.tools.map((t) => t.name),
        ['echo', 'look', 'slow'],
      );
      assert.deepEqual(await b.call('echo', { say: 'hi' }), { text: 'hi', isError: false });
      await a.close(); // a job closing its toolbox must not end the shared session
      assert.equal((await (await shared.acquire()).call('echo', { say: 'again' })).text, 'again');
      assert.equal(server.stats.initializes, 1);

      await server.stop();
      const failed = await (await shared.acquire()).call('echo', { say: 'lost' });
      assert.equal(failed.isError, true);
      assert.equal(failed.transportFailed, true);
      await assert.rejects(shared.acquire(), ToolServerUnavailableError);

      server = await startTinyMcp(port);
      assert.equal((await (await shared.acquire()).call('echo', { say: 'back' })).text, 'back');
      assert.equal(server.stats.initializes, 1);
    } finally {
      await shared.close();
      await server.stop();
    }
  });

  it('makes an MCP replica dying mid-session transparent to a read-only call (retried once on a new session); a write is never resent', async () => {
    const ports = [await freePort(), await freePort()];
    const replicas = await Promise.all(ports.map((port) => startTinyMcp(port)));
    const proxy = await startRoundRobinProxy(ports, { sticky: true });
    const shared = sharedMcpToolbox({ url: `${proxy.url}/mcp`, token: 't' });
    try {
      const toolbox = await shared.acquire();
      const first = await toolbox.call('look', {});
      const served = ports[0];
      assert.equal(first.text, `seen by ${served}`);
      assert.deepEqual([...proxy.connections.keys()], [served], 'the session is on one replica');
      // The replica serving this session dies; the job's next read goes on as if nothing happened.
      const dying = ports.indexOf(served ?? 0);
      await replicas[dying]?.stop();
      const after = await toolbox.call('look', {});
      assert.deepEqual(after, { text: `seen by ${ports[1 - dying]}`, isError: false });
      assert.equal(replicas[1 - dying]?.stats.initializes, 1, 'a new session was set up on the live replica');

      // A call not marked read-only is not resent when its replica dies: it may have run.
      const survivor = replicas[1 - dying];
      const callsBefore = survivor?.stats.calls ?? 0;
      await survivor?.stop();
      const write = await toolbox.call('echo', { say: 'change' });
      assert.equal(write.transportFailed, true);
      assert.equal(survivor?.stats.calls, callsBefore, 'the write was sent again');
    } finally {
      await shared.close();
      await proxy.stop();
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });

  it('finishes the calls in flight on a session it replaces (tool list refresh, a broken call), and sends later calls to the new one', async () => {
    const port = await freePort();
    const server = await startTinyMcp(port);
    const shared = sharedMcpToolbox({ url: `http://127.0.0.1:${port}/mcp`, token: 't', refreshMs: 100 });
    try {
      const held = await shared.acquire(); // a job holds its toolbox across model turns
      const slow = held.call('slow', { say: 'in flight' });
      await sleep(200);
      const fresh = await shared.acquire(); // past refreshMs: a new session replaces the one `slow` runs on
      assert.deepEqual(await slow, { text: 'in flight', isError: false });
      assert.deepEqual(await fresh.call('echo', { say: 'new' }), { text: 'new', isError: false });
      assert.deepEqual(await held.call('echo', { say: 'next turn' }), { text: 'next turn', isError: false });
      assert.ok(server.stats.initializes >= 2, 'a new session replaced the first');
    } finally {
      await shared.close();
      await server.stop();
    }
  });
});
