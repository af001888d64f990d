import { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';
import { slackLogger } from '../../src/log/slack-logger.ts';
import { withTimeout } from '../../src/queue/with-timeout.ts';
import { slackApp, type SlackListenersOptions } from './slack-app.ts';

export interface SlackSocketModeOptions extends SlackListenersOptions {
  /** The app-level token (`xapp-…`, scope connections:write) that opens the WebSocket. */
  appToken: string;
}

export interface SlackSocketMode {
  /** Closes the WebSocket (and any pending reconnect); no envelope is received afterwards. */
  stop(): Promise<void>;
}

/** The close handshake normally takes milliseconds; a peer that never answers must not hold up shutdown. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * Socket Mode: bolt's SocketModeReceiver opens a WebSocket to Slack (`apps.connections.open` on SLACK_API_URL,
 * with the app token), so no public request URL is needed. The listeners are the very ones the HTTP receiver
 * serves (`slackApp`); only the transport differs. Resolves once Slack said hello; rejects on a bad app token.
 */
export async function startSlackSocketMode({ appToken, ...listeners }: SlackSocketModeOptions): Promise<SlackSocketMode> {
  const log = listeners.logger.child({ component: 'slack-socket-mode' });
  const receiver = new SocketModeReceiver({
    appToken,
    logger: slackLogger(listeners.logger, 'bolt'),
    installerOptions: { clientOptions: { slackApiUrl: listeners.slackApiUrl } },
  });
  slackApp({ receiver, ...listeners });
  guardEnvelopes(receiver.client, log);
  await receiver.start();
  log.info('slack socket mode connected');
  return {
    stop: async () => {
      await withTimeout(receiver.client.disconnect(), STOP_TIMEOUT_MS, 'socket mode close handshake timed out').catch((error: unknown) =>
        log.warn({ err: error }, 'slack socket mode did not close cleanly'),
      );
    },
  };
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
