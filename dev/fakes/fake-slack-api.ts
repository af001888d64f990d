import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRequestBody } from './read-request-body.ts';
import { parseSlackRequest, type SlackArgs } from './slack-request-args.ts';
import { SlackFileUploads, type FakeSlackFile } from './slack-file-uploads.ts';
import { createStateWaiters } from './state-waiters.ts';
import {
  fakeSlackIdentity,
  SlackWorkspace,
  type FakeSlackChannel,
  type FakeSlackEphemeral,
  type FakeSlackMessage,
  type FakeSlackUser,
  type SlackResult,
} from './slack-workspace.ts';

export type { FakeSlackFile } from './slack-file-uploads.ts';
export type { FakeSlackChannel, FakeSlackEdit, FakeSlackEphemeral, FakeSlackMessage, FakeSlackUser } from './slack-workspace.ts';

/**
 * A local stand-in for Slack's Web API (`POST /api/<method>`) for end-to-end tests and benchmarks. It
 * speaks Slack's wire format to the real `@slack/web-api` WebClient (give it `url` as `slackApiUrl`):
 * form or JSON bodies, bearer or body token, HTTP 200 with `ok:false` for API errors, 429 + Retry-After
 * for rate limits. It keeps what the bot posted so a test can read the thread back.
 */
export interface FakeSlackApiOptions {
  /** The bot token the fake accepts (default `xoxb-fake-token`). */
  token?: string;
  /** Delay before every response, for benchmarks (default 0). */
  latencyMs?: number;
  /** When given, only these channels exist; otherwise any well-formed channel id is accepted. */
  channels?: FakeSlackChannel[];
  /** Users known to `users.info` and allowed as `chat.postEphemeral` recipients (any user when empty). */
  users?: FakeSlackUser[];
}

export type SlackFault = { rateLimited: number } | { error: string } | { status: number };

export interface SlackCall {
  method: string;
  body: SlackArgs;
  headers: IncomingHttpHeaders;
  at: number;
  fault: SlackFault | undefined;
  /** Filled in when the response is sent. */
  response: { status: number; body: SlackResult } | undefined;
}

export interface FakeSlackApi {
  /** Base URL for WebClient's `slackApiUrl`, ending with `/api/`. */
  readonly url: string;
  readonly token: string;
  readonly identity: typeof fakeSlackIdentity;
  readonly calls: readonly SlackCall[];
  /** Messages the bot posted, current content, oldest first; optionally one channel's only. */
  messages(channel?: string): FakeSlackMessage[];
  /** The thread's root (when the bot posted it) followed by its replies (file shares are in `files()`, not here). */
  thread(channel: string, threadTs: string): FakeSlackMessage[];
  ephemerals(): FakeSlackEphemeral[];
  /** Files from the external upload flow (files.getUploadURLExternal → upload URL → files.completeUploadExternal), oldest first. */
  files(): FakeSlackFile[];
  /** Resolves with the check's first truthy result, checked after every call; rejects with what was recorded. */
  waitFor<T>(check: (slack: FakeSlackApi) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** The next `count` calls of `method` fail with `fault` instead of running. */
  failNext(method: string, fault: SlackFault, count?: number): void;
  /**
   * The first call of `method` that `matches` waits for `action` before Slack runs it and answers: e.g. kill the
   * caller while its request is in flight, so the post happens but the caller never learns its id.
   */
  intercept(method: string, matches: (call: SlackCall) => boolean, action: (call: SlackCall) => Promise<void>): void;
  addUser(user: FakeSlackUser): void;
  /** Socket Mode: `apps.connections.open` accepts `appToken` (only) and answers with a fresh `url()`. */
  serveSocketMode(options: SocketModeEndpoint): void;
  /** Forgets calls, messages, ephemerals and pending faults (between benchmark rounds). */
  reset(): void;
  stop(): Promise<void>;
}

const scopes =
  'app_mentions:read,channels:history,channels:read,chat:write,commands,files:write,groups:history,im:history,mpim:history,users:read,users:read.email';

export interface SocketModeEndpoint {
  appToken: string;
  url: () => string;
}

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const token = options.token ?? 'xoxb-fake-token';
  const latencyMs = options.latencyMs ?? 0;
  const workspace = new SlackWorkspace(options.channels, options.users);
  const calls: SlackCall[] = [];
  const uploads = new SlackFileUploads();
  uploads.onShared = (channel, threadTs, files) => workspace.shareFiles(channel, threadTs, files);
  const faults = new Map<string, { fault: SlackFault; remaining: number }[]>();
  const intercepts: { method: string; matches: (call: SlackCall) => boolean; action: (call: SlackCall) => Promise<void> }[] = [];
  const waiters = createStateWaiters(() => describeCalls(calls));
  let socketMode: SocketModeEndpoint | undefined;

  const takeFault = (method: string): SlackFault | undefined => {
    const queue = faults.get(method);
    const next = queue?.[0];
    if (queue === undefined || next === undefined) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    return next.fault;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (await uploads.receive(request, response, url)) {
      waiters.changed();
      return;
    }
    const method = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname)?.[1];
    if (method === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not a Slack Web API path\n');
      return;
    }
    const raw = await readRequestBody(request);
    const parsed = parseSlackRequest(request.headers['content-type'], raw, url.searchParams);
    const call: SlackCall = {
      method,
      body: parsed.ok ? parsed.args : { raw },
      headers: request.headers,
      at: Date.now(),
      fault: takeFault(method),
      response: undefined,
    };
    calls.push(call);
    if (latencyMs > 0) await sleep(latencyMs);
    const intercepted = intercepts.findIndex((i) => i.method === method && i.matches(call));
    if (intercepted >= 0) {
      const [{ action }] = intercepts.splice(intercepted, 1) as [(typeof intercepts)[number]];
      await action(call);
    }
    const { status, body, headers } = answer(call, parsed);
    call.response = { status, body };
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': scopes, ...headers });
    response.end(JSON.stringify(body));
    waiters.changed();
  };

  const answer = (call: SlackCall, parsed: ReturnType<typeof parseSlackRequest>) => {
    const { fault } = call;
    if (fault !== undefined && 'rateLimited' in fault) {
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(fault.rateLimited) } };
    }
    if (fault !== undefined && 'status' in fault) {
      return { status: fault.status, body: { ok: false, error: 'fatal_error' }, headers: {} };
    }
    if (fault !== undefined) return { status: 200, body: { ok: false, error: fault.error }, headers: {} };
    if (!parsed.ok) return { status: 200, body: { ok: false, error: parsed.error }, headers: {} };
    const presented = bearer(call.headers.authorization) ?? parsed.bodyToken;
    if (presented === undefined) return { status: 200, body: { ok: false, error: 'not_authed' }, headers: {} };
    // An app-level token (xapp-) opens Socket Mode connections and nothing else; a bot token cannot open one.
    if (call.method === 'apps.connections.open' || (socketMode !== undefined && presented === socketMode.appToken)) {
      if (call.method !== 'apps.connections.open' || presented === token)
        return { status: 200, body: { ok: false, error: 'not_allowed_token_type' }, headers: {} };
      if (socketMode === undefined || presented !== socketMode.appToken)
        return { status: 200, body: { ok: false, error: 'invalid_auth' }, headers: {} };
      return { status: 200, body: { ok: true, url: socketMode.url() }, headers: {} };
    }
    if (presented !== token) return { status: 200, body: { ok: false, error: 'invalid_auth' }, headers: {} };
    const result = uploads.call(call.method, parsed.args) ?? workspace.call(call.method, parsed.args);
    // Slack answers an unknown method with HTTP 200 and `unknown_method`, naming the method it was asked for.
    const body = result ?? { ok: false, error: 'unknown_method', req_method: call.method };
    return { status: 200, body, headers: {} };
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`fake Slack failed: ${message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  uploads.baseUrl = `http://127.0.0.1:${port}/upload/v1/`;

  const fake: FakeSlackApi = {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    identity: fakeSlackIdentity,
    calls,
    messages: (channel) => workspace.messages.filter((m) => channel === undefined || m.channel === channel),
    thread: (channel, threadTs) =>
      workspace.messages.filter((m) => m.channel === channel && (m.ts === threadTs || m.threadTs === threadTs)),
    ephemerals: () => [...workspace.ephemerals],
    files: () => [...uploads.files],
    waitFor: (check, timeoutMs = 5000) => waiters.waitFor(() => check(fake), timeoutMs, 'the fake Slack state'),
    failNext(method, fault, count = 1) {
      const queue = faults.get(method) ?? [];
      queue.push({ fault, remaining: count });
      faults.set(method, queue);
    },
    intercept(method, matches, action) {
      intercepts.push({ method, matches, action });
    },
    addUser: (user) => workspace.addUser(user),
    serveSocketMode(endpoint) {
      socketMode = endpoint;
    },
    reset() {
      calls.length = 0;
      faults.clear();
      intercepts.length = 0;
      workspace.clear();
      uploads.clear();
    },
    async stop() {
      waiters.cancelAll('the fake Slack API stopped');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function describeCalls(calls: readonly SlackCall[]): string {
  if (calls.length === 0) return '  (no calls)';
  return calls
    .map((call, index) => {
      const { channel, ts, thread_ts: threadTs, text } = call.body;
      const args = Object.entries({ channel, ts, thread_ts: threadTs })
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${String(value)}`);
      if (typeof text === 'string') args.push(`text=${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`);
      const result = call.response === undefined ? 'pending' : call.response.body.ok ? 'ok' : String(call.response.body.error);
      return `  #${index} ${call.method} ${args.join(' ')} → ${call.response?.status ?? '-'} ${result}`;
    })
    .join('\n');
}
