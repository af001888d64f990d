import { request } from 'node:https';
import type { LoggedProcess } from './spawn-logged.ts';

/**
 * Polls `/readyz` until the API server answers 200. Its post-start hooks (bootstrap RBAC roles,
 * priority classes, system namespaces) are part of readyz, so ready means the built-in roles exist.
 */
export async function waitForApiServer({
  server,
  ca,
  token,
  processes,
  timeoutMs = 60_000,
}: {
  server: string;
  ca: Buffer;
  token: string;
  /** Stop waiting as soon as one of these has exited. */
  processes: LoggedProcess[];
  timeoutMs?: number;
}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const child of processes) {
      const exit = child.exitDescription();
      if (exit !== undefined) throw new Error(`${child.name} ${exit} while waiting for ${server}/readyz`);
    }
    const answer = await get(`${server}/readyz`, ca, token).catch((error: unknown) => ({ status: 0, body: String(error) }));
    if (answer.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${server}/readyz not ready after ${timeoutMs} ms: ${answer.status} ${answer.body.slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A GET to the API server with a bearer token; resolves with status and body. */
export function get(url: string, ca: Buffer, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
