import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A `tools/call` as a client sent it: the tool's name and its arguments. */
export interface ProxiedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface HoldingMcpProxy {
  /** The endpoint to give the client instead of the MCP server's: http://127.0.0.1:<port>/mcp */
  url: string;
  /** Resolves once a call that `holds` matches has arrived and is being held. */
  held: Promise<ProxiedToolCall>;
  /**
   * Sends the held call on to the MCP server, as if it had only been slow on the wire, and resolves with the
   * server's status once its whole response has come back (passed on to the client if it is still there).
   */
  release(): Promise<number>;
  stop(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const toolCallIn = (body: Buffer): ProxiedToolCall | undefined => {
  try {
    const message = JSON.parse(body.toString('utf8')) as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
    if (message.method !== 'tools/call' || typeof message.params?.name !== 'string') return undefined;
    const args = message.params.arguments;
    return { name: message.params.name, arguments: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {} };
  } catch {
    return undefined; // not one JSON-RPC request (a batch, a GET stream): passed through
  }
};

/**
 * An HTTP proxy in front of an MCP server (Streamable HTTP) that passes every request through, except the first
 * `tools/call` that `holds` matches: that one waits in the proxy until the test calls `release()`. A test uses it
 * to catch a client in the middle of a call (e.g. to kill the worker that sent it) without any setting or hook in
 * the product: to the client the call is just slow.
 */
export async function startHoldingMcpProxy({
  target,
  holds,
}: {
  /** The MCP server's endpoint, e.g. http://127.0.0.1:3001/mcp; it may start after the proxy. */
  target: string;
  holds: (call: ProxiedToolCall) => boolean;
}): Promise<HoldingMcpProxy> {
  const upstream = new URL(target);
  /** `released`: a held call, sent on even when its client has gone (the point of holding it). */
  const forward = (req: IncomingMessage, body: Buffer | undefined, res: ServerResponse, released = false): Promise<number> =>
    new Promise((resolve, reject) => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          if (!res.destroyed) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          } else answer.resume();
          answer.once('end', () => resolve(answer.statusCode ?? 502));
          answer.once('error', reject);
        },
      );
      out.once('error', (error) => {
        if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
        reject(error);
      });
      res.once('close', () => {
        if (!released) out.destroy();
      });
      if (body === undefined) req.pipe(out);
      else out.end(body);
    });

  let held: { req: IncomingMessage; body: Buffer; res: ServerResponse } | undefined;
  let announce: (call: ProxiedToolCall) => void = () => undefined;
  const heldCall = new Promise<ProxiedToolCall>((resolve) => {
    announce = resolve;
  });
  let holding = true;
  const server = createServer((req, res) => {
    const pass = async () => {
      if (req.method !== 'POST') return forward(req, undefined, res);
      const body = await readBody(req);
      const call = toolCallIn(body);
      if (holding && call !== undefined && holds(call)) {
        holding = false;
        held = { req, body, res };
        announce(call);
        return 0;
      }
      return forward(req, body, res);
    };
    pass().catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    held: heldCall,
    release: async () => {
      if (held === undefined) throw new Error('no call is held');
      return forward(held.req, held.body, held.res, true);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
