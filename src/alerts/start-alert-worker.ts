import { Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import { createSlackClient } from '../chat/slack/create-slack-client.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import type { AlertJob } from '../queue/alert-job.ts';
import { ALERT_QUEUE } from '../queue/alert-queue.ts';
import { createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import type { WorkerServices } from '../worker/worker-services.ts';
import { loadAlertRoutes } from './alert-routes.ts';
import { alertThreadStore } from './alert-thread-store.ts';
import { handleAlertJob } from './handle-alert-job.ts';

export interface StartAlertWorkerOptions {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  services: WorkerServices;
}

export interface AlertWorker {
  isRunning(): boolean;
  close(): Promise<void>;
}

/** The BullMQ worker that turns Alertmanager notifications into alert threads. Routing is read (and checked) here, at start. */
export function startAlertWorker({ config, logger, redis, services }: StartAlertWorkerOptions): AlertWorker {
  const routes = loadAlertRoutes({
    policyFile: config.AI4K8S_POLICY,
    slackChannel: config.ALERTS_SLACK_CHANNEL,
    teamsConversation: config.ALERTS_TEAMS_CONVERSATION,
  });
  const log = logger.child({ component: 'alerts' });
  const chatQueue = createChatQueue({ connection: redis, prefix: services.prefix });
  const slackTeamId = botTeamId(config, log);
  const worker = new Worker<AlertJob>(
    ALERT_QUEUE,
    (job) =>
      handleAlertJob(job, {
        routes,
        threads: alertThreadStore({ redis, prefix: services.prefix, ttlSeconds: config.CONVERSATION_TTL_SECONDS }),
        memory: conversationStore({ redis, prefix: services.prefix, ttlSeconds: config.CONVERSATION_TTL_SECONDS, tokenBudget: config.CONVERSATION_TOKEN_BUDGET }),
        replyChannelFor: services.replyChannelFor,
        slackTeamId,
        enqueueInvestigation: (chatJob) => enqueueChatJob(chatQueue, chatJob),
        logger: log,
      }),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => log.warn({ jobId: job?.id, err: error }, 'alert job attempt failed'));
  worker.on('error', (error) => log.error({ err: error }, 'alert worker error'));
  return {
    isRunning: () => worker.isRunning(),
    close: async () => {
      await worker.close();
      await chatQueue.close();
    },
  };
}

/**
 * The bot's Slack workspace id from auth.test, asked once when the first alert needs it (a failure is
 * asked again by the job's retry). Slack events carry the same id as `team_id`, so a follow-up in the
 * alert thread computes the same conversation key as the thread's memory.
 */
function botTeamId(config: Config, logger: Logger): () => Promise<string> {
  let teamId: Promise<string> | undefined;
  return async () => {
    if (config.SLACK_BOT_TOKEN === undefined) throw new Error('an alert is routed to Slack but SLACK_BOT_TOKEN is not set on this worker');
    const token = config.SLACK_BOT_TOKEN;
    teamId ??= createSlackClient({ token, slackApiUrl: config.SLACK_API_URL, logger })
      .auth.test()
      .then((result) => {
        if (result.team_id === undefined) throw new Error('auth.test returned no team_id');
        return result.team_id;
      });
    try {
      return await teamId;
    } catch (error) {
      teamId = undefined;
      throw error;
    }
  };
}
