import { fetchBotUserId } from '../../adapters/slack/fetch-bot-user-id.ts';
import { slackRoutes } from '../../adapters/slack/slack-routes.ts';
import type { Config } from '../config/schema.ts';
import { startHttpServer, type Routes } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { auditLog } from '../audit/audit-log.ts';
import { createApprovalQueue, enqueueApprovalJob } from '../queue/approval-queue.ts';
import { createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import { createRedis, redisAnswers } from '../queue/create-redis.ts';
import { withTimeout } from '../queue/with-timeout.ts';
import { healthRoutes } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartGatewayOptions {
  config: Config;
  logger: Logger;
}

/** Enqueueing must leave time to ack inside Slack's 3 s window. */
const ENQUEUE_TIMEOUT_MS = 2_000;

/** The gateway: verifies, normalises, dedupes and enqueues chat requests. No model or cluster calls. */
export async function startGateway({ config, logger }: StartGatewayOptions): Promise<RunningRole> {
  const redis = createRedis({ url: config.REDIS_URL, name: 'gateway', logger });
  const queue = createChatQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  const enqueue = (job: Parameters<typeof enqueueChatJob>[1]) =>
    withTimeout(enqueueChatJob(queue, job), ENQUEUE_TIMEOUT_MS, 'enqueue timed out (is Redis reachable?)');
  const approvalQueue = createApprovalQueue({ connection: redis, prefix: config.QUEUE_PREFIX });

  const routes: Routes = { ...healthRoutes({ role: 'gateway', ready: () => redisAnswers(redis) }) };
  if (config.SLACK_BOT_TOKEN !== undefined && config.SLACK_SIGNING_SECRET !== undefined) {
    const memory = conversationStore({
      redis,
      prefix: config.QUEUE_PREFIX,
      ttlSeconds: config.CONVERSATION_TTL_SECONDS,
      tokenBudget: config.CONVERSATION_TOKEN_BUDGET,
    });
    // Asked once here, never per request: the request path makes no Slack API call.
    const botUserId =
      config.SLACK_BOT_USER_ID ?? (await fetchBotUserId({ botToken: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger }));
    Object.assign(
      routes,
      slackRoutes({
        botToken: config.SLACK_BOT_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        slackApiUrl: config.SLACK_API_URL,
        enqueue,
        botUserId,
        isKnownThread: (key) => memory.isKnownThread(key),
        approvals: {
          store: approvalStore(redis, config.QUEUE_PREFIX),
          settings: { approvers: config.APPROVERS, selfAllowed: config.APPROVAL_SELF_ALLOWED, ttlSeconds: config.APPROVAL_TTL_SECONDS },
          enqueue: (job) => withTimeout(enqueueApprovalJob(approvalQueue, job), ENQUEUE_TIMEOUT_MS, 'enqueue timed out (is Redis reachable?)'),
          audit: auditLog({ redis, prefix: config.QUEUE_PREFIX, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
        },
        logger,
      }),
    );
  }
  const server = await startHttpServer({ host: config.HOST, port: config.PORT, logger, routes });
  logger.info({ url: server.url, routes: Object.keys(routes) }, 'gateway listening');
  return {
    role: 'gateway',
    urls: { http: server.url },
    stop: async () => {
      await server.close();
      await Promise.all([queue.close(), approvalQueue.close()]);
      await redis.quit().catch(() => undefined);
    },
  };
}
