import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HTTPReceiver } from '@slack/bolt';
import { BodyTooLargeError, readBody, sendJson, type Routes } from '../../src/http/start-http-server.ts';
import { slackLogger } from './slack-logger.ts';
import { isSlackPayloadObject } from './slack-payload-shape.ts';
import { slackApp, type SlackListenersOptions } from './slack-app.ts';

/** Slack's payloads are a few KB; a slash command's text is at most a few thousand characters. */
export const SLACK_BODY_LIMIT = 64 * 1024;

export interface SlackRoutesOptions extends SlackListenersOptions {
  signingSecret: string;
}

/** Bolt's HTTP receiver mounted at POST /slack/events: it verifies the signature and the 5-minute window. */
export function slackRoutes({ signingSecret, ...listeners }: SlackRoutesOptions): Routes {
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: '/slack/events',
    // Bolt acks an Events API request before its listeners run; processing first means Slack's 200 comes
    // only after the job is enqueued (slash commands ack explicitly, after enqueueing, either way).
    processBeforeResponse: true,
    logger: slackLogger(listeners.logger, 'bolt'),
    bodyLimit: SLACK_BODY_LIMIT,
  });
  slackApp({ receiver, ...listeners });
  return {
    'POST /slack/events': async (req, res) => {
      // Refuse an oversized body before reading it.
      if (Number(req.headers['content-length'] ?? 0) > SLACK_BODY_LIMIT) {
        tooLarge(req, res);
        return;
      }
      let rawBody: Buffer;
      try {
        rawBody = await readBody(req, SLACK_BODY_LIMIT);
      } catch (error) {
        if (error instanceof BodyTooLargeError) tooLarge(req, res);
        else req.socket.destroy();
        return;
      }
      // Bolt reads fields of the parsed body outside any try (a signed `null` body would end the process),
      // so a body that is not an object is refused here. The signature is still checked by bolt after this.
      if (!isSlackPayloadObject(rawBody.toString('utf8'), req.headers['content-type'])) {
        sendJson(res, 400, { error: 'malformed_payload' });
        return;
      }
      // Bolt takes an already-read body as a BufferedIncomingMessage (`rawBody`).
      receiver.requestListener(Object.assign(req, { rawBody }), res);
    },
  };
}

/** 413, and never reuse a connection whose body was left unread: the client's next request on it would be reset. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  // Captured now: the request lets go of it once the response is done (or already has, if reading stopped early).
  const socket = req.socket as Socket | null;
  res.once('finish', () => socket?.destroy());
  res.writeHead(413, { connection: 'close' }).end();
}
