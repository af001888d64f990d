import type { App } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';
import { chatEventJob } from './chat-event-job.ts';
import type { Enqueue } from './register-k8s-command.ts';

export interface RegisterChatEventsOptions {
  app: App;
  enqueue: Enqueue;
  /** Whether the bot takes part in a thread (thread memory in Redis): follow-ups elsewhere are ignored. */
  isKnownThread: (threadKey: string) => Promise<boolean>;
  botUserId: string | undefined;
  logger: Logger;
}

/**
 * `app_mention` in channels, direct messages, and follow-ups in threads the bot takes part in: each is
 * normalised into a ChatJob and enqueued. The receiver runs with processBeforeResponse, so Slack's
 * 200 comes after the enqueue; a failure answers 500 and Slack retries (the same job id dedupes).
 */
export function registerChatEvents({ app, enqueue, isKnownThread, botUserId, logger }: RegisterChatEventsOptions): void {
  const handle = async (event: unknown, teamId: string) => {
    const decision = chatEventJob({ event, teamId, botUserId });
    if (decision.kind === 'ignore') {
      logger.debug({ reason: decision.reason }, 'slack event ignored');
      return;
    }
    if (decision.kind === 'followUp' && !(await isKnownThread(decision.threadKey))) {
      logger.debug({ threadKey: decision.threadKey }, 'slack event ignored: a thread the bot is not in');
      return;
    }
    const { job } = decision;
    const jobId = await enqueue(job);
    logger.info({ jobId, channel: job.replyTarget.channel, user: job.user.id, kind: decision.kind }, 'slack message queued');
  };
  app.event('app_mention', async ({ event, body }) => handle(event, body.team_id));
  app.event('message', async ({ event, body }) => handle(event, body.team_id));
}
