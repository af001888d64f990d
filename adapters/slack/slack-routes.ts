import { App, HTTPReceiver } from '@slack/bolt';
import type { Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { slackLogger } from '../../src/log/slack-logger.ts';
import { registerApprovalActions, type ApprovalActions } from './register-approval-actions.ts';
import { registerChatEvents } from './register-chat-events.ts';
import { registerK8sCommand, type Enqueue } from './register-k8s-command.ts';

/** Slack's payloads are a few KB; a slash command's text is at most a few thousand characters. */
const SLACK_BODY_LIMIT = 64 * 1024;

export interface SlackRoutesOptions {
  botToken: string;
  signingSecret: string;
  slackApiUrl: string;
  enqueue: Enqueue;
  /** The bot's user id (from SLACK_BOT_USER_ID or one auth.test at start); undefined if unknown. */
  botUserId: string | undefined;
  /** Whether the bot takes part in a thread, so a follow-up there needs no mention. */
  isKnownThread: (threadKey: string) => Promise<boolean>;
  /** Approve / Deny clicks on approval cards. */
  approvals: ApprovalActions;
  logger: Logger;
}

/** Bolt's HTTP receiver mounted at POST /slack/events: it verifies the signature and the 5-minute window. */
export function slackRoutes({ botToken, signingSecret, slackApiUrl, enqueue, botUserId, isKnownThread, approvals, logger }: SlackRoutesOptions): Routes {
  const log = slackLogger(logger, 'bolt');
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: '/slack/events',
    // Bolt acks an Events API request before its listeners run; processing first means Slack's 200 comes
    // only after the job is enqueued (slash commands ack explicitly, after enqueueing, either way).
    processBeforeResponse: true,
    logger: log,
    bodyLimit: SLACK_BODY_LIMIT,
  });
  const app = new App({
    // With a plain `token`, bolt calls auth.test on every request it authorises; an authorize function
    // that answers from configuration keeps the request path free of Slack API calls.
    authorize: () => Promise.resolve(botUserId === undefined ? { botToken } : { botToken, botUserId }),
    receiver,
    logger: log,
    clientOptions: { slackApiUrl },
  });
  const slackLog = logger.child({ component: 'slack' });
  registerK8sCommand({ app, enqueue, logger: slackLog });
  registerChatEvents({ app, enqueue, isKnownThread, botUserId, logger: slackLog });
  registerApprovalActions({ app, ...approvals, logger: slackLog });
  app.error((error) => {
    logger.error({ err: error }, 'slack listener failed');
    // Rethrown, the receiver answers 500 and Slack retries the event later; the job id dedupes it.
    return Promise.reject(error);
  });
  return {
    'POST /slack/events': (req, res) => {
      // Refuse an oversized body before reading it, and never reuse a connection whose body was left
      // unread: the client's next request on it would be reset.
      if (Number(req.headers['content-length'] ?? 0) > SLACK_BODY_LIMIT) {
        res.writeHead(413, { connection: 'close' }).end();
        return;
      }
      res.once('finish', () => {
        if (res.statusCode === 413) req.socket.destroy();
      });
      receiver.requestListener(req, res);
    },
  };
}
