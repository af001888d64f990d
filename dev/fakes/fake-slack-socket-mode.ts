import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';
import { createStateWaiters } from './state-waiters.ts';

/**
 * A local stand-in for Slack's Socket Mode endpoint, speaking its WebSocket protocol to the real bolt
 * SocketModeReceiver: the fake Web API's `apps.connections.open` (app-level token only) hands out a one-time
 * `ws://127.0.0.1:<port>/link/?ticket=…` URL; on connect the server says `hello`; a test delivers envelopes
 * (`events_api`, `slash_commands`, `interactive`), re-delivers them as Slack retries do, sends `disconnect`,
 * and reads back the acks (`{envelope_id, payload?}`) the app sent.
 */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload: Record<string, unknown> | undefined;
  /** Which connection (1-based, in order of opening) sent it. */
  connection: number;
  at: number;
}

export interface DeliverOptions {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  envelopeId?: string;
  /** Slack sets it for slash commands and some interactive payloads (the ack may carry a response). */
  acceptsResponsePayload?: boolean;
}

export interface FakeSlackSocketModeOptions {
  /** The fake Web API whose `apps.connections.open` hands out this server's URLs. */
  slack: FakeSlackApi;
  /** The app-level token accepted (default `xapp-1-A0AI4K8S01-fake`). */
  appToken?: string;
}

export interface FakeSlackSocketMode {
  readonly appToken: string;
  /** Connections opened so far (a reconnect opens another). */
  readonly connections: number;
  /** Envelopes sent, in order (a re-delivery is one more entry). */
  readonly delivered: readonly SocketEnvelope[];
  readonly acks: readonly SocketAck[];
  /** Frames the app sent that were not acks (there should be none). */
  readonly unexpected: readonly string[];
  /** Sends an envelope on the newest open connection (events_api carry retry_attempt 0). */
  deliver(options: DeliverOptions): SocketEnvelope;
  /** Slack's retry of an envelope: the same payload with retry_attempt + 1, and the same envelope id unless `newEnvelopeId`. */
  redeliver(envelope: SocketEnvelope, options?: { retryReason?: string; newEnvelopeId?: boolean }): SocketEnvelope;
  /** Sends any text frame (to test malformed envelopes). */
  sendRaw(text: string): void;
  /** Slack's `disconnect` message (e.g. `refresh_requested`, `warning`): the client should reconnect. */
  disconnect(reason?: string): void;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  waitFor<T>(check: (fake: FakeSlackSocketMode) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startFakeSlackSocketMode({
  slack,
  appToken = 'xapp-1-A0AI4K8S01-fake',
}: FakeSlackSocketModeOptions): Promise<FakeSlackSocketMode> {
  const tickets = new Set<string>();
  const sockets: WebSocket[] = [];
  const delivered: SocketEnvelope[] = [];
  const acks: SocketAck[] = [];
  const unexpected: string[] = [];
  const waiters = createStateWaiters(() => describe(delivered, acks));

  const server = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('a WebSocket endpoint\n');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    // Slack's URLs are single use: a ticket that was not handed out (or was used) is refused.
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
  });

  const accept = (ws: WebSocket) => {
    sockets.push(ws);
    const connection = sockets.length;
    ws.on('message', (data: RawData, isBinary) => {
      const text = isBinary ? '' : rawText(data);
      const ack = parseAck(text);
      if (ack === undefined) unexpected.push(text);
      else acks.push({ ...ack, connection, at: Date.now() });
      waiters.changed();
    });
    ws.on('close', () => waiters.changed());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.filter((s) => s.readyState === s.OPEN).length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: 'A0AI4K8S01' },
      }),
    );
    waiters.changed();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  slack.serveSocketMode({
    appToken,
    url: () => {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=A0AI4K8S01`;
    },
  });

  const current = (): WebSocket => {
    const open = sockets.filter((s) => s.readyState === s.OPEN);
    const newest = open[open.length - 1];
    if (newest === undefined) throw new Error('no open Socket Mode connection');
    return newest;
  };
  const send = (envelope: SocketEnvelope) => {
    current().send(JSON.stringify(envelope));
    delivered.push(envelope);
    waiters.changed();
    return envelope;
  };

  const fake: FakeSlackSocketMode = {
    appToken,
    get connections() {
      return sockets.length;
    },
    delivered,
    acks,
    unexpected,
    deliver: ({ type, payload, envelopeId = randomUUID(), acceptsResponsePayload = type === 'slash_commands' }) =>
      send({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: acceptsResponsePayload,
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      }),
    redeliver: (envelope, { retryReason = 'timeout', newEnvelopeId = false } = {}) =>
      send({
        ...envelope,
        envelope_id: newEnvelopeId ? randomUUID() : envelope.envelope_id,
        retry_attempt: (envelope.retry_attempt ?? 0) + 1,
        retry_reason: retryReason,
      }),
    sendRaw: (text) => current().send(text),
    disconnect: (reason = 'refresh_requested') =>
      current().send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: `applink-fake-${randomBytes(2).toString('hex')}` } }),
      ),
    waitForAck: (envelopeId, timeoutMs = 5_000) => fake.waitFor((f) => f.acks.find((a) => a.envelope_id === envelopeId), timeoutMs),
    waitFor: (check, timeoutMs = 5_000) => waiters.waitFor(() => check(fake), timeoutMs, 'the fake Socket Mode state'),
    async stop() {
      waiters.cancelAll('the fake Socket Mode endpoint stopped');
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** An ack is `{"envelope_id": "…", "payload": {…}?}` and nothing else. */
function parseAck(text: string): Omit<SocketAck, 'connection' | 'at'> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { envelope_id: id, payload, ...rest } = parsed as Record<string, unknown>;
    if (typeof id !== 'string' || Object.keys(rest).length > 0) return undefined;
    if (payload !== undefined && (typeof payload !== 'object' || payload === null)) return undefined;
    return { envelope_id: id, payload: payload as Record<string, unknown> | undefined };
  } catch {
    return undefined;
  }
}

function describe(delivered: readonly SocketEnvelope[], acks: readonly SocketAck[]): string {
  const lines = delivered.map((e) => {
    const acked = acks.filter((a) => a.envelope_id === e.envelope_id).length;
    return `  ${e.type} ${e.envelope_id} retry=${e.retry_attempt ?? '-'} acks=${acked}`;
  });
  return lines.length === 0 ? '  (nothing delivered)' : lines.join('\n');
}
