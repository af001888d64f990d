import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './read-request-body.ts';

/** A snapshot as the fake stored it, with the body it was created from. */
export interface FakeGrafanaSnapshot {
  id: number;
  key: string;
  deleteKey: string;
  name: string | undefined;
  /** Seconds, as sent; 0 = never. */
  expires: number;
  dashboard: Record<string, unknown>;
  deleted: boolean;
}

export interface GrafanaRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface FakeGrafanaApi {
  /** Base URL (no trailing slash), what GRAFANA_URL points at. */
  readonly url: string;
  readonly token: string;
  readonly requests: readonly GrafanaRequest[];
  snapshots(): FakeGrafanaSnapshot[];
  stop(): Promise<void>;
}

/**
 * A local stand-in for Grafana's HTTP snapshot API: `POST /api/snapshots` (service-account bearer token;
 * 401 `{"message":"invalid API key"}` otherwise), `GET /api/snapshots/:key` (public, as in Grafana),
 * `GET /api/snapshots-delete/:deleteKey`. Answers with Grafana's shapes and records every request.
 */
export async function startFakeGrafanaApi({
  token = 'glsa_fakeGrafanaServiceAccountToken_0123',
}: { token?: string } = {}): Promise<FakeGrafanaApi> {
  const snapshots: FakeGrafanaSnapshot[] = [];
  const requests: GrafanaRequest[] = [];
  let url = '';
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: error instanceof Error ? error.message : 'internal error' }));
  });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const text = await readRequestBody(req, 16 * 1024 * 1024);
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // kept as text; the route answers 400 where JSON is required
    }
    const reply = (status: number, payload: unknown) => {
      requests.push({ method: req.method ?? '', path, headers: req.headers, body, status });
      send(res, status, payload);
    };
    if (req.method === 'POST' && path === '/api/snapshots') {
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'invalid API key', traceID: '' });
      const input = (typeof body === 'object' && body !== null ? body : {}) as { dashboard?: unknown; name?: unknown; expires?: unknown };
      if (typeof input.dashboard !== 'object' || input.dashboard === null) return reply(400, { message: 'bad request data' });
      const snapshot: FakeGrafanaSnapshot = {
        id: snapshots.length + 1,
        key: randomBytes(16).toString('hex'),
        deleteKey: randomBytes(16).toString('hex'),
        name: typeof input.name === 'string' ? input.name : undefined,
        expires: typeof input.expires === 'number' ? input.expires : 0,
        dashboard: input.dashboard as Record<string, unknown>,
        deleted: false,
      };
      snapshots.push(snapshot);
      return reply(200, {
        id: snapshot.id,
        key: snapshot.key,
        deleteKey: snapshot.deleteKey,
        url: `${url}/dashboard/snapshot/${snapshot.key}`,
        deleteUrl: `${url}/api/snapshots-delete/${snapshot.deleteKey}`,
      });
    }
    const get = /^\/api\/snapshots\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && get !== null) {
      const found = snapshots.find((s) => s.key === get[1] && !s.deleted);
      if (found === undefined) return reply(404, { message: 'Dashboard snapshot not found' });
      return reply(200, { dashboard: found.dashboard, meta: { isSnapshot: true, type: 'snapshot', expires: found.expires } });
    }
    const del = /^\/api\/snapshots-delete\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && del !== null) {
      const found = snapshots.find((s) => s.deleteKey === del[1] && !s.deleted);
      if (found === undefined) return reply(404, { message: 'Dashboard snapshot not found' });
      found.deleted = true;
      return reply(200, { message: 'Snapshot deleted. It might take an hour before it is cleared from any CDN caches.', id: found.id });
    }
    return reply(404, { message: 'Not found' });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    requests,
    snapshots: () => [...snapshots],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
