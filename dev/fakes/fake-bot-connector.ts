import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './read-request-body.ts';
import { createStateWaiters } from './state-waiters.ts';

/**
 * A local stand-in for the Bot Connector service at an activity's `serviceUrl`, speaking the v3 conversations API
 * the bot writes with: `POST /v3/conversations/{id}/activities` (send), `POST …/activities/{activityId}` (reply),
 * `PUT …/activities/{activityId}` (update). Answers a ResourceResponse `{ id }`, or the connector's error shapes
 * (401 without the bearer token the fake token endpoint issued, when auth is on; 400 for a bad activity; 404
 * for an unknown activity). It records every call and keeps what the bot posted, with its edits.
 */
export interface FakeBotConnectorOptions {
  /** When given, every call must carry `Authorization: Bearer <token>` for which this returns true. */
  acceptsToken?: (token: string) => boolean;
}

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

/** A message the bot posted, as it stands now. */
export interface FakeTeamsMessage {
  id: string;
  /** The conversation id it was posted to (a channel reply chain is `<channel>;messageid=<root>`). */
  conversationId: string;
  /** Set when posted as a reply (`POST …/activities/{activityId}`). */
  replyToId: string | undefined;
  text: string;
  attachments: { contentType: string; content: unknown }[];
  /** Earlier versions, oldest first, each replaced by an update. */
  edits: { text: string; attachments: { contentType: string; content: unknown }[] }[];
  activity: Record<string, unknown>;
}

export interface FakeBotConnector {
  /** The serviceUrl to put in incoming activities (with a trailing slash, as Teams sends it). */
  readonly url: string;
  readonly calls: readonly ConnectorCall[];
  messages(conversationId?: string): FakeTeamsMessage[];
  waitFor<T>(check: (connector: FakeBotConnector) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  reset(): void;
  stop(): Promise<void>;
}

const PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startFakeBotConnector({ acceptsToken }: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const messages: FakeTeamsMessage[] = [];
  let nextId = Date.now();
  const waiters = createStateWaiters(
    () =>
      messages
        .map((m) => `${m.id} in ${m.conversationId}: ${m.text.slice(0, 200)}${m.attachments.length > 0 ? ' [card]' : ''}`)
        .join('\n') || '(nothing posted)',
  );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = PATH.exec(path);
    const conversationId = decodeURIComponent(match?.[1] ?? '');
    const activityId = match?.[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const raw = await readRequestBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const answer = (status: number, payload: unknown) => {
      calls.push({ method: req.method ?? '', path, conversationId, activityId, headers: req.headers, body, status });
      json(res, status, payload);
      waiters.changed();
    };
    if (match === null) return answer(404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });
    if (acceptsToken !== undefined) {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (bearer === undefined || !acceptsToken(bearer)) return answer(401, { message: 'Authorization has been denied for this request.' });
    }
    const activity = body as Record<string, unknown> | undefined;
    if (typeof activity !== 'object' || activity === null || typeof activity.type !== 'string') {
      return answer(400, { error: { code: 'BadArgument', message: 'Activity is missing or has no type' } });
    }
    const content = {
      text: typeof activity.text === 'string' ? activity.text : '',
      attachments: Array.isArray(activity.attachments) ? (activity.attachments as FakeTeamsMessage['attachments']) : [],
    };
    if (req.method === 'PUT' && activityId !== undefined) {
      const existing = messages.find((m) => m.id === activityId && baseOf(m.conversationId) === baseOf(conversationId));
      if (existing === undefined) return answer(404, { error: { code: 'ActivityNotFound', message: `Unknown activity ${activityId}` } });
      existing.edits.push({ text: existing.text, attachments: existing.attachments });
      Object.assign(existing, content, { activity });
      return answer(200, { id: activityId });
    }
    if (req.method !== 'POST') return answer(405, { error: { code: 'MethodNotAllowed', message: `${req.method} is not supported here` } });
    nextId += 1;
    const id = String(nextId);
    messages.push({ id, conversationId, replyToId: activityId, ...content, edits: [], activity });
    return answer(201, { id });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: { code: 'ServiceError', message: 'fake connector failed' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connector: FakeBotConnector = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    messages: (conversationId) => messages.filter((m) => conversationId === undefined || m.conversationId === conversationId),
    waitFor: (check, timeoutMs = 10_000) => waiters.waitFor(() => check(connector), timeoutMs, 'the fake Bot Connector'),
    reset: () => {
      calls.length = 0;
      messages.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        waiters.cancelAll('the fake Bot Connector stopped');
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return connector;
}

/** A channel's reply chains share the channel's activity ids. */
function baseOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
