import { Agent, request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface RawKubeClient {
  /** Sends JSON, returns the parsed answer; a non-2xx answer rejects with its status and body. */
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): void;
}

export class RawKubeError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'RawKubeError';
    this.status = status;
  }
}

/**
 * Plain JSON over one keep-alive HTTPS agent, as the kubeconfig's admin: for bulk seeding, where
 * client-node's fresh agent (a TLS handshake) per request and its typed (de)serialisation only cost time.
 */
export function rawKubeClient(kubeconfigPath: string): RawKubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext('admin');
  const cluster = kc.getCurrentCluster();
  const token = kc.getCurrentUser()?.token;
  if (cluster === null || token === undefined || cluster.caData === undefined) throw new Error(`${kubeconfigPath}: no admin token or CA`);
  const server = new URL(cluster.server);
  const agent = new Agent({ keepAlive: true, maxSockets: 32, ca: Buffer.from(cluster.caData, 'base64') });
  return {
    send: (method, path, body) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            agent,
            host: server.hostname,
            port: server.port,
            method,
            path,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status < 200 || status > 299) {
                reject(new RawKubeError(status, `${method} ${path}: HTTP ${status}: ${text.slice(0, 600)}`));
                return;
              }
              resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
