import { App, type Receiver } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';
import { slackLogger } from './slack-logger.ts';
import { ackAfterListeners } from './ack-after-listeners.ts';
import { SlackListenerError } from './errors.ts';
import { registerApprovalActions, type ApprovalActions } from './register-approval-actions.ts';
import { registerChatEvents } from './register-chat-events.ts';
import { registerK8sCommand, type Enqueue } from './register-k8s-command.ts';

/** What the Slack listeners need, whichever transport (HTTP or Socket Mode) brings the requests. */
export interface SlackListenersOptions {
  botToken: string;
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

export interface SlackAppOptions extends SlackListenersOptions {
  /** Transport only (bolt's HTTPReceiver or SocketModeReceiver): the listeners are the same for both. */
  receiver: Receiver;
}

/** The bolt App with every ai4k8s listener: `/k8s`, mentions / DMs / thread follow-ups, approval clicks. */
export function slackApp({ receiver, botToken, slackApiUrl, enqueue, botUserId, isKnownThread, approvals, logger }: SlackAppOptions): App {
  const app = new App({
    // With a plain `token`, bolt calls auth.test on every request it authorises; an authorize function
    // that answers from configuration keeps the request path free of Slack API calls.
    authorize: () => Promise.resolve(botUserId === undefined ? { botToken } : { botToken, botUserId }),
    receiver,
    logger: slackLogger(logger, 'bolt'),
    clientOptions: { slackApiUrl },
  });
  const slackLog = logger.child({ component: 'slack' });
  registerK8sCommand({ app, enqueue, logger: slackLog });
  registerChatEvents({ app, enqueue, isKnownThread, botUserId, logger: slackLog });
  registerApprovalActions({ app, ...approvals, logger: slackLog });
  app.error((error) => {
    logger.error({ err: error }, 'slack listener failed');
    // Rethrown, the HTTP receiver answers 500 and Socket Mode leaves the envelope unacknowledged: either way
    // Slack delivers the request again later, and the job id dedupes it.
    return Promise.reject(new SlackListenerError(error));
  });
  receiver.init(ackAfterListeners(app, slackLog));
  return app;
}
