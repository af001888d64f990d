import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { callKube } from '../../src/kube/call-kube.ts';
import { createKubeClient } from '../../src/kube/create-kube-client.ts';
import { ClusterUnreachableError } from '../../src/kube/errors.ts';
import { kubeHttpLibrary } from '../../src/kube/kube-http-library.ts';

const namespaces = JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'shop' } }] });

/** A plain-HTTP stand-in for the API server that answers each request with the next behaviour. */
async function scriptedApiServer(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  let index = 0;
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req, res) => handle(req, res, index++));
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    kubeConfig,
    requests: () => index,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('the Kubernetes HTTP library', () => {
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('rides out an answer cut mid-body, a dropped connection and a 429 on a read', async () => {
    const api = await scriptedApiServer((_req, res, index) => {
      if (index === 0) {
        // Headers and half a chunked body, then the connection goes: the "premature close" case.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(namespaces.slice(0, 20));
        setTimeout(() => res.socket?.destroy(), 10);
      } else if (index === 1) res.socket?.destroy();
      else if (index === 2) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ kind: 'Status', code: 429, message: 'too many requests, please try again later' }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(namespaces));
      }
    });
    stops.push(api.stop);
    const kube = createKubeClient({ kubeConfig: api.kubeConfig });
    const list = await callKube(kube, () => kube.core.listNamespace(), { backoffMs: 5 });
    assert.deepEqual(
      list.items.map((n) => n.metadata?.name),
      ['shop'],
    );
    assert.equal(api.requests(), 4);
  });

  it('reports a connection that keeps breaking as a short coded error without the URL', async () => {
    const api = await scriptedApiServer((_req, res) => res.socket?.destroy());
    stops.push(api.stop);
    const kube = createKubeClient({ kubeConfig: api.kubeConfig });
    const error = await callKube(kube, () => kube.core.listNamespace(), { backoffMs: 5 }).catch((e: unknown) => e);
    assert.ok(error instanceof ClusterUnreachableError);
    assert.match(error.message, /^the Kubernetes API did not answer \(connection reset: ECONNRESET, retried 3×\)$/);
    assert.equal(api.requests(), 4);
  });

  it('caps the connections it opens and does not count the wait for a free one against the timeout', async () => {
    const api = await scriptedApiServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(namespaces);
      }, 150);
    });
    stops.push(api.stop);
    const httpLibrary = kubeHttpLibrary({ requestTimeoutMs: 400, maxSockets: 2 });
    const kube = createKubeClient({ kubeConfig: api.kubeConfig, httpLibrary });
    // 8 calls over 2 connections take ~600 ms, longer than the 400 ms timeout: each is timed from its connection.
    const started = performance.now();
    const lists = await Promise.all(Array.from({ length: 8 }, () => callKube(kube, () => kube.core.listNamespace(), { retries: 0 })));
    assert.ok(performance.now() - started >= 550, 'the calls queued behind two connections');
    assert.equal(lists.length, 8);
    assert.equal(api.connections(), 2);
    httpLibrary.close();
  });

  it('times out a request that gets no answer, and does not retry it', async () => {
    const api = await scriptedApiServer(() => undefined);
    stops.push(api.stop);
    const kube = createKubeClient({ kubeConfig: api.kubeConfig, requestTimeoutMs: 100 });
    const error = await callKube(kube, () => kube.core.listNamespace()).catch((e: unknown) => e);
    assert.ok(error instanceof ClusterUnreachableError);
    assert.equal(error.message, 'the Kubernetes API did not answer (timed out)');
    assert.equal(api.requests(), 1);
  });

  it('sends a repeated header (Impersonate-Group) once per value', async () => {
    const seen: string[][] = [];
    const api = await scriptedApiServer((req, res) => {
      seen.push(req.rawHeaders);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(namespaces);
    });
    stops.push(api.stop);
    const kube = createKubeClient({ kubeConfig: api.kubeConfig, impersonate: { user: 'alice', groups: ['sre', 'oncall'] } });
    await kube.core.listNamespace();
    const raw = seen[0] ?? [];
    const groups = raw.flatMap((value, i) => (i % 2 === 1 && raw[i - 1]?.toLowerCase() === 'impersonate-group' ? [value] : []));
    assert.deepEqual(groups, ['sre', 'oncall']);
  });
});
