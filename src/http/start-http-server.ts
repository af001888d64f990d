import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/create-logger.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Routes keyed by "METHOD /path" (query strings are ignored when matching). */
export type Routes = Record<string, RouteHandler>;

export interface HttpServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** One answered request: `route` is the matched route's path, or 'unmatched' (never the raw URL: unbounded). */
export type RequestObserver = (request: { method: string; route: string; status: number; seconds: number }) => void;

export interface StartHttpServerOptions {
  host: string;
  port: number;
  routes: Routes;
  logger: Logger;
  /** Told about every request once its response is done or the connection dropped (metrics). */
  observe?: RequestObserver | undefined;
}

/**
 * Connections the kernel holds for us before we accept them. Node's default (511) overflows when a worker
 * opens a connection per concurrent tool call (hundreds at once) or a burst of webhooks lands while the event
 * loop is busy, and an overflowed queue answers with a reset. The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

/** A small node:http server with exact-path routing, JSON 404/405 and a bounded close. */
export async function startHttpServer({ host, port, routes, logger, observe }: StartHttpServerOptions): Promise<HttpServerHandle> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (observe !== undefined) {
      const started = process.hrtime.bigint();
      const method = handler === undefined ? 'other' : (req.method ?? 'GET');
      const route = handler === undefined ? 'unmatched' : path;
      res.once('close', () => observe({ method, route, status: res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
    }
    if (handler === undefined) {
      const allowed = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
      sendJson(res, allowed ? 405 : 404, { error: allowed ? 'method_not_allowed' : 'not_found' });
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        logger.error({ err: error, path }, 'request handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, LISTEN_BACKLOG, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a request body up to a byte limit; rejects with BodyTooLargeError past it. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}
