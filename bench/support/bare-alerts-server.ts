/**
 * The floor of the alertmanager-ack-latency benchmark, run as its own process like the gateway: a bare node:http
 * server that reads and parses the webhook's JSON and answers 200. The difference to the gateway is what
 * ai4k8s does besides (token check, schema check, job id hash, enqueue into Redis, log, metrics).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/log/create-logger.ts';

const logger = createLogger({ level: 'info' });

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/alerts/alertmanager') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const body = '{"status":"ok"}';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
logger.info({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, 'bare alerts server listening');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
