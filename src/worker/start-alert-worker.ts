import { Worker } from 'bullmq';
import type { RedisClient } from '../queue/create-redis.ts';
import type { Config } from '../config/schema.ts';
import { incidentMemoryForAlerts } from './incident-memory-for-alerts.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import type { AlertJob } from '../queue/alert-job.ts';
import { ALERT_QUEUE } from '../queue/alert-queue.ts';
import { logErrors } from '../queue/log-errors.ts';
import { createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import type { WorkerServices } from './worker-services.ts';
import { loadAlertRoutes } from '../alerts/alert-routes.ts';
import { alertThreadStore } from '../alerts/alert-thread-store.ts';
import { handleAlertJob } from '../alerts/handle-alert-job.ts';

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

/** The BullMQ worker that turns Alertmanager notifications into alert threads. Routing comes from the policy loadConfig checked. */
export function startAlertWorker({ config, logger, redis, services }: StartAlertWorkerOptions): AlertWorker {
  const routes = loadAlertRoutes({
    policy: config.policy?.alerts,
    slackChannel: config.ALERTS_SLACK_CHANNEL,
    teamsConversation: config.ALERTS_TEAMS_CONVERSATION,
  });
  const log = logger.child({ component: 'alerts' });
  const chatQueue = createChatQueue({ connection: redis, prefix: services.prefix, logger: log });
  const slackTeamId = async () => (await services.slackWorkspace()).teamId;
  const incidents = incidentMemoryForAlerts({ config, redis, services, logger: log });
  const worker = new Worker<AlertJob>(
    ALERT_QUEUE,
    (job) =>
      handleAlertJob(job, {
        routes,
        threads: alertThreadStore({ redis, prefix: services.prefix, ttlSeconds: config.CONVERSATION_TTL_SECONDS }),
        memory: conversationStore({
          redis,
          prefix: services.prefix,
          ttlSeconds: config.CONVERSATION_TTL_SECONDS,
          tokenBudget: config.CONVERSATION_TOKEN_BUDGET,
        }),
        replyChannelFor: services.replyChannelFor,
        slackTeamId,
        enqueueInvestigation: (chatJob) => enqueueChatJob(chatQueue, chatJob),
        incidents,
        logger: log,
      }),
    services.queueOptions,
  );
  worker.on('failed', (job, error) => log.warn({ jobId: job?.id, err: error }, 'alert job attempt failed'));
  logErrors(worker, log, 'alert worker');
  return {
    isRunning: () => worker.isRunning(),
    close: async () => {
      await worker.close();
      await chatQueue.close();
    },
  };
}
