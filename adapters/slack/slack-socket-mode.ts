import { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';
import { slackLogger } from './slack-logger.ts';
import { withTimeout } from '../../src/queue/with-timeout.ts';
import { slackApp, type SlackListenersOptions } from './slack-app.ts';

export interface SlackSocketModeOptions extends SlackListenersOptions {
  /** The app-level token (`xapp-…`, scope connections:write) that opens the WebSocket. */
  appToken: string;
  /** How long start waits for Slack's hello before it returns not connected (the client keeps trying). */
  connectTimeoutMs?: number;
}

/** Where the WebSocket to Slack is: only `connected` receives envelopes. */
export type SocketModeState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

export interface SocketModeStatus {
  state: SocketModeState;
  /** Why it is not connected (the last error), for /readyz and the logs. */
  reason?: string;
}

export interface SlackSocketMode {
  /** The connection now; the gateway's /readyz reports not ready unless `connected`. */
  status(): SocketModeStatus;
  /** Closes the WebSocket (and any pending reconnect); no envelope is received afterwards. */
  stop(): Promise<void>;
}

/** The close handshake normally takes milliseconds; a peer that never answers must not hold up shutdown. */
const STOP_TIMEOUT_MS = 5_000;
/** Slack says hello within a second or two; past this the gateway starts anyway and reports not ready. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Socket Mode: bolt's SocketModeReceiver opens a WebSocket to Slack (`apps.connections.open` on SLACK_API_URL,
 * with the app token), so no public request URL is needed. The listeners are the very ones the HTTP receiver
 * serves (`slackApp`); only the transport differs. Resolves once Slack said hello, or after `connectTimeoutMs`
 * with the client still retrying in the background (so an unreachable Slack cannot hang the gateway's start);
 * rejects on a bad app token.
 */
export async function startSlackSocketMode({
  appToken,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ...listeners
}: SlackSocketModeOptions): Promise<SlackSocketMode> {
  const log = listeners.logger.child({ component: 'slack-socket-mode' });
  const stopping = new AbortController();
  const tracker = connectionTracker(log);
  const policy = connectionsOpenPolicy({ stopped: stopping.signal, onFailure: (reason) => tracker.unreachable(reason) });
  const receiver = new SocketModeReceiver({
    appToken,
    logger: slackLogger(listeners.logger, 'bolt'),
    installerOptions: { clientOptions: { slackApiUrl: listeners.slackApiUrl, ...policy } },
  });
  slackApp({ receiver, ...listeners });
  guardEnvelopes(receiver.client, log);
  tracker.follow(receiver.client);

  const started = receiver.start();
  let booted = false;
  const connected = started.then(
    () => undefined,
    (error: unknown) => {
      if (stopping.signal.aborted) return;
      tracker.failed(error);
      // Before the boot timeout the caller gets the error (a bad token fails the start); after it, only the log.
      if (booted) log.error({ err: error }, 'slack socket mode gave up connecting; /readyz stays not ready');
      throw error;
    },
  );
  connected.catch(() => undefined); // handled above once booted; rethrown to the caller before
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), connectTimeoutMs)));
  const first = await Promise.race([connected, timedOut]).finally(() => clearTimeout(timer));
  if (first === 'timeout') {
    log.warn(
      { timeoutMs: connectTimeoutMs, reason: tracker.status().reason },
      'slack socket mode not connected yet; the gateway starts not ready (/readyz 503) and keeps retrying',
    );
  }
  booted = true;
  return {
    status: () => tracker.status(),
    stop: async () => {
      stopping.abort();
      tracker.stopped();
      await withTimeout(receiver.client.disconnect(), STOP_TIMEOUT_MS, 'socket mode close handshake timed out').catch((error: unknown) =>
        log.warn({ err: error }, 'slack socket mode did not close cleanly'),
      );
    },
  };
}

/**
 * How the client calls `apps.connections.open`: each request bounded (a Slack that accepts and never answers
 * would otherwise hold the connection attempt for ever), retried for ever with the pause capped at 30 s (the
 * client's own policy backs off to hours after a long outage), on timers that do not keep the process alive.
 * Once stopped, a call neither goes out nor settles: the client has nothing left to reconnect with, and no
 * rejection escapes its reconnect path.
 */
function connectionsOpenPolicy({ stopped, onFailure }: { stopped: AbortSignal; onFailure: (reason: string) => void }) {
  return {
    timeout: 10_000,
    retryConfig: { forever: true, factor: 1.3, minTimeout: 1_000, maxTimeout: 30_000, unref: true },
    fetch: async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
      if (stopped.aborted) return new Promise<never>(() => undefined);
      const signal = init.signal === undefined || init.signal === null ? stopped : AbortSignal.any([init.signal, stopped]);
      try {
        const response = await fetch(url, { ...init, signal });
        if (response.status !== 200) onFailure(`Slack answered HTTP ${response.status} to apps.connections.open`);
        return response;
      } catch (error) {
        onFailure(`Slack unreachable: ${errorText(error)}`);
        throw error;
      }
    },
  };
}

interface ConnectionTracker {
  /** Listens to the client's lifecycle events (connecting, connected, reconnecting, close). */
  follow(client: SocketModeReceiver['client']): void;
  status(): SocketModeStatus;
  /** A request for a WebSocket URL failed (it is retried): the reason /readyz shows meanwhile. */
  unreachable(reason: string): void;
  failed(error: unknown): void;
  stopped(): void;
}

/** The connection's one status, from the client's lifecycle events and the failures of its URL requests. */
function connectionTracker(log: Logger): ConnectionTracker {
  let status: SocketModeStatus = { state: 'connecting', reason: 'waiting for Slack to say hello' };
  const set = (next: SocketModeStatus) => {
    if (status.state === 'stopped' || status.state === 'failed') return;
    const was = status.state;
    status = next;
    if (was === next.state) return;
    if (next.state === 'connected') log.info('slack socket mode connected');
    else if (was === 'connected') log.warn({ reason: next.reason }, 'slack socket mode disconnected; reconnecting');
  };
  const unreachable = (reason: string) => {
    if (status.state === 'connecting' || status.state === 'reconnecting') status = { ...status, reason };
  };
  return {
    follow: (client) => {
      client.on('connected', () => set({ state: 'connected' }));
      // A closed socket (Slack's `disconnect`, a network error, a missed pong) is reopened after the client's delay.
      client.on('close', () => set({ state: 'reconnecting', reason: 'the WebSocket closed; reconnecting' }));
      client.on('reconnecting', () => set({ state: 'reconnecting', reason: 'opening a new WebSocket' }));
      client.on('error', (error: unknown) => unreachable(errorText(error)));
    },
    status: () => ({ ...status }),
    unreachable,
    failed: (error) => set({ state: 'failed', reason: errorText(error) }),
    stopped: () => {
      status = { state: 'stopped', reason: 'the gateway is stopping' };
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The Socket Mode client parses envelopes in an async listener without a catch: an envelope without the
 * fields it expects (an `events_api` without `payload.event`) would be an unhandled rejection, which ends
 * the process. Its listeners are wrapped so such an envelope is logged and dropped instead (left
 * unacknowledged, Slack gives up on it after its retries).
 */
function guardEnvelopes(client: SocketModeReceiver['client'], log: Logger): void {
  const handlers = client.listeners('ws_message');
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    for (const handler of handlers) {
      Promise.resolve(handler(data, isBinary)).catch((error: unknown) => {
        log.warn({ err: error, envelope: preview(data) }, 'malformed socket mode envelope ignored');
      });
    }
  });
}

/** The start of a frame, for the log line (envelopes carry message text: never the whole of it). */
function preview(data: unknown): string {
  const text = typeof data === 'string' ? data : '(binary)';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
