import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Observable, ResponseContext, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';

export interface KubeHttpLibraryOptions {
  /** Longest wait for the API server's whole answer, counted from the moment the request has a connection. */
  requestTimeoutMs: number;
  /** Connections to the API server open at once; further requests wait for a free one (the API server caps in-flight requests too). */
  maxSockets: number;
}

export interface KubeHttpLibrary extends HttpLibrary {
  /** Closes the idle connections (running requests finish). */
  close(): void;
}

/** TLS settings client-node puts on the per-request agent it builds from the kubeconfig. */
const TLS_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * client-node's HTTP library (node-fetch 2) with a keep-alive agent misreads a reused socket: when a response
 * ends, node-fetch checks whether the *socket* still has a `data` listener, and under concurrency the socket
 * is already serving the next request, so a complete response fails with "Premature close". This library
 * sends each API call with node's own http(s) client instead, on one keep-alive agent per set of TLS settings
 * (so every identity impersonated over one kubeconfig context shares one bounded pool of connections), reads
 * the whole body (gzip-decoded) before answering, and reports failures as errors with a node error code and no
 * URL. The timeout starts once the request has a connection, so waiting for a free one is not counted.
 */
export function kubeHttpLibrary({ requestTimeoutMs, maxSockets }: KubeHttpLibraryOptions): KubeHttpLibrary {
  const agents = new Map<string, HttpAgent>();
  const agentFor = (url: URL, own: HttpAgent | undefined): HttpAgent => {
    const https = url.protocol === 'https:';
    const tls: AgentOptions = {};
    // client-node builds that agent from the kubeconfig's CA, client certificate and key.
    const ownOptions: AgentOptions = (own as { options?: AgentOptions } | undefined)?.options ?? {};
    for (const key of TLS_KEYS) if (ownOptions[key] !== undefined) Object.assign(tls, { [key]: ownOptions[key] });
    const key = `${url.protocol}${fingerprint(tls)}`;
    let agent = agents.get(key);
    if (agent === undefined) {
      // Idle connections close after 30 s, before the API server's own idle timeout, so we never send on a socket it is closing.
      const options = { ...tls, keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 30_000, scheduling: 'lifo' as const };
      agent = https ? new HttpsAgent(options) : new HttpAgent(options);
      agents.set(key, agent);
    }
    return agent;
  };
  return {
    send: (request) => new Observable(send(request, agentFor, requestTimeoutMs)),
    close: () => {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

async function send(
  request: RequestContext,
  agentFor: (url: URL, own: HttpAgent | undefined) => HttpAgent,
  timeoutMs: number,
): Promise<ResponseContext> {
  const url = new URL(request.getUrl());
  const body = requestBody(request.getBody());
  const headers = headerRecord(request.getHeaders());
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')) headers['Accept-Encoding'] = 'gzip';
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  const signal = request.getSignal();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agentFor(url, request.getAgent());
  return new Promise<ResponseContext>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const req = send(url, { method: request.getHttpMethod(), headers, agent, ...(signal === undefined ? {} : { signal }) });
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(transportError(error));
    };
    req.once('socket', () => {
      timer = setTimeout(
        () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })),
        timeoutMs,
      );
    });
    req.once('error', fail);
    req.once('response', (response) => {
      readBody(response).then(
        (data) => {
          clearTimeout(timer);
          resolve(
            new ResponseContext(response.statusCode ?? 0, responseHeaders(response), {
              text: () => Promise.resolve(data.toString('utf8')),
              binary: () => Promise.resolve(data),
            }),
          );
        },
        (error: unknown) => {
          req.destroy();
          fail(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    req.end(body);
  });
}

async function readBody(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  };
  if (response.headers['content-encoding'] === 'gzip') await pipeline(response, createGunzip(), collect);
  else await pipeline(response, collect);
  return Buffer.concat(chunks);
}

/**
 * client-node hands headers as a record; the impersonation middleware hands a list of [name, value] pairs so
 * Impersonate-Group can repeat. Both become node's shape, where a repeated header is an array of values.
 */
function headerRecord(headers: unknown): OutgoingHttpHeaders {
  const pairs: [string, string][] = Array.isArray(headers)
    ? (headers as [string, string][])
    : Object.entries((headers ?? {}) as Record<string, string>);
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = record[name];
    record[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return record;
}

function responseHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

function requestBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('the Kubernetes HTTP library sends text bodies only');
}

/** A failure with a node error code (ECONNRESET, ERR_STREAM_PREMATURE_CLOSE, …) and no URL in its message. */
function transportError(error: Error): Error {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return error;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? error : Object.assign(new Error(error.message, { cause: error }), { code: 'ERR_KUBE_TRANSPORT' });
}

function fingerprint(tls: AgentOptions): string {
  const hash = createHash('sha256');
  for (const key of TLS_KEYS) {
    const value = tls[key];
    const values: unknown[] = Array.isArray(value) ? value : [value];
    hash.update(`${key}=`);
    for (const part of values) hash.update(Buffer.isBuffer(part) ? part : String(part)).update('\0');
  }
  return hash.digest('hex');
}
