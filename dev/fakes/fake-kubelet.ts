import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';

/** Logs of one container as the kubelet would serve them. */
export interface ContainerLogs {
  current?: string;
  /** Output of the previous (terminated) instance, served for `previous=true`. */
  previous?: string;
  /** When set and there is no current log, the container has not started: why (e.g. the image pull). */
  waiting?: string;
}

export interface KubeletRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeKubelet {
  port: number;
  /** Logs live here as `<ns>/<pod>/<container>/{current,previous}.log`, so other processes can add some. */
  logDir: string;
  requests: KubeletRequest[];
  setLogs(namespace: string, pod: string, container: string, logs: ContainerLogs): void;
  stop(): Promise<void>;
}

/**
 * The kubelet endpoint the API server proxies `kubectl logs` to. It serves HTTPS with a cert from the
 * cluster CA and accepts only clients with a cert from that CA (the API server's kubelet client cert).
 * Logs are files, not memory, so a test file in another process than the cluster can add them.
 */
export async function startFakeKubelet({
  logDir,
  cert,
  key,
  ca,
}: {
  logDir: string;
  cert: string;
  key: string;
  ca: string;
}): Promise<FakeKubelet> {
  mkdirSync(logDir, { recursive: true });
  const requests: KubeletRequest[] = [];
  const server = createServer(
    { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(ca), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      let status: number;
      try {
        status = handle(logDir, req, res);
      } catch (error) {
        status = reply(res, 400, `${error instanceof Error ? error.message : String(error)}\n`);
      }
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const record: KubeletRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
      };
      requests.push(record);
      appendFileSync(join(logDir, 'requests.jsonl'), `${JSON.stringify(record)}\n`);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Like the cluster's processes: do not keep a finished test process alive, nor let the API
  // server's idle keep-alive connections do so.
  server.unref();
  server.on('connection', (socket: Socket) => socket.unref());
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    logDir,
    requests,
    setLogs: (namespace, pod, container, logs) => writeContainerLogs(logDir, namespace, pod, container, logs),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where the fake kubelet of a cluster started by `startTestCluster` keeps its logs. */
export function kubeletLogDir(kubeconfigPath: string): string {
  return join(dirname(kubeconfigPath), 'kubelet-logs');
}

/** Adds or replaces a container's logs; works from any process that knows the cluster's kubeconfig. */
export function setPodLogs({
  kubeconfigPath,
  namespace,
  pod,
  container,
  ...logs
}: { kubeconfigPath: string; namespace: string; pod: string; container: string } & ContainerLogs): void {
  writeContainerLogs(kubeletLogDir(kubeconfigPath), namespace, pod, container, logs);
}

/** Requests the cluster's fake kubelet has served so far (from any process). */
export function kubeletRequests(kubeconfigPath: string): KubeletRequest[] {
  const file = join(kubeletLogDir(kubeconfigPath), 'requests.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as KubeletRequest);
}

function writeContainerLogs(logDir: string, namespace: string, pod: string, container: string, logs: ContainerLogs): void {
  const dir = join(logDir, safe(namespace), safe(pod), safe(container));
  mkdirSync(dir, { recursive: true });
  for (const kind of ['current', 'previous', 'waiting'] as const) {
    const file = join(dir, kind === 'waiting' ? 'waiting.txt' : `${kind}.log`);
    const text = logs[kind];
    if (text === undefined) rmSync(file, { force: true });
    else writeFileSync(file, text);
  }
}

/** Returns the status code it answered with. */
function handle(logDir: string, req: IncomingMessage, res: ServerResponse): number {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (req.method !== 'GET' || match === null) return reply(res, 404, '404 page not found\n');
  const [namespace, pod, container] = match.slice(1).map(decodeURIComponent) as [string, string, string];
  const podDir = join(logDir, safe(namespace), safe(pod));
  const dir = join(podDir, safe(container));
  // The kubelet's own wording, which the API server passes on to kubectl.
  if (!existsSync(podDir)) return reply(res, 404, `pod "${pod}" does not exist\n`);
  if (!existsSync(dir)) return reply(res, 404, `container "${container}" not found in pod "${pod}"\n`);
  const previous = url.searchParams.get('previous') === 'true';
  const file = join(dir, previous ? 'previous.log' : 'current.log');
  if (!existsSync(file)) {
    if (previous) return reply(res, 400, `previous terminated container "${container}" in pod "${pod}" not found\n`);
    const waiting = join(dir, 'waiting.txt');
    const why = existsSync(waiting) ? readFileSync(waiting, 'utf8').trim() : 'ContainerCreating';
    return reply(res, 400, `container "${container}" in pod "${pod}" is waiting to start: ${why}\n`);
  }
  return reply(res, 200, selectLog(readFileSync(file, 'utf8'), url.searchParams));
}

/** Applies sinceSeconds/sinceTime (to lines that start with an RFC 3339 time), tailLines, then limitBytes. */
function selectLog(text: string, query: URLSearchParams): string {
  let lines = text.split(/(?<=\n)/);
  const since = sinceMillis(query);
  if (since !== undefined) {
    lines = lines.filter((line) => {
      const stamp = Date.parse(line.split(/\s/, 1)[0] ?? '');
      return Number.isNaN(stamp) || stamp >= since;
    });
  }
  const tail = Number(query.get('tailLines') ?? Number.NaN);
  if (Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const out = lines.join('');
  const limit = Number(query.get('limitBytes') ?? Number.NaN);
  return Number.isInteger(limit) && limit > 0 ? Buffer.from(out).subarray(0, limit).toString() : out;
}

function sinceMillis(query: URLSearchParams): number | undefined {
  const seconds = Number(query.get('sinceSeconds') ?? Number.NaN);
  if (Number.isFinite(seconds) && seconds > 0) return Date.now() - seconds * 1000;
  const time = Date.parse(query.get('sinceTime') ?? '');
  return Number.isNaN(time) ? undefined : time;
}

function reply(res: ServerResponse, status: number, body: string): number {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
  return status;
}

/** Path segments come from a URL: refuse anything that could leave the log directory. */
function safe(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || segment.includes('/')) throw new Error(`bad path segment: ${segment}`);
  return segment;
}
