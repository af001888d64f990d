import { alertmanagerRoutes } from '../../adapters/alertmanager/alertmanager-routes.ts';
import { webConsole } from '../../adapters/console/web-console.ts';
import { fetchBotUserId } from '../../adapters/slack/fetch-bot-user-id.ts';
import { slackRoutes } from '../../adapters/slack/slack-routes.ts';
import { startSlackSocketMode, type SlackSocketMode } from '../../adapters/slack/slack-socket-mode.ts';
import { teamsConnectorFromConfig } from '../../adapters/teams/teams-connector-from-config.ts';
import { teamsRoutes } from '../../adapters/teams/teams-routes.ts';
import type { Config } from '../config/schema.ts';
import { redisSettingsFrom } from '../config/redis-settings.ts';
import { startHttpServer, type Routes } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { approvalSettingsFrom } from '../approval/approval-settings.ts';
import { grantSigner } from '../approval/grant-signer.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { auditLog } from '../audit/audit-log.ts';
import { createAlertQueue, enqueueAlertJob } from '../queue/alert-queue.ts';
import { createApprovalQueue, enqueueApprovalJob } from '../queue/approval-queue.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import { createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import { createRedis, redisAnswers } from '../queue/create-redis.ts';
import { withTimeout } from '../queue/with-timeout.ts';
import { waitForReplicas } from '../queue/wait-for-replicas.ts';
import { roleMetrics } from '../metrics/role-metrics.ts';
import { healthRoutes, type NotReady } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartGatewayOptions {
  config: Config;
  logger: Logger;
}

/** Enqueueing must leave time to ack inside Slack's 3 s window. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** Replicas confirm within milliseconds; the rest of the ack window is for the enqueue itself. */
const REPLICA_WAIT_MS = 1_000;

/** The gateway: verifies, normalises, dedupes and enqueues chat requests. No model or cluster calls. */
export async function startGateway({ config, logger }: StartGatewayOptions): Promise<RunningRole> {
  const settings = redisSettingsFrom(config);
  const redis = createRedis({ settings, name: 'gateway', logger });
  const queue = createChatQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  // With replicas to wait for, a job counts as enqueued only once they hold it: a failover cannot lose an acked question.
  const replicated = waitForReplicas({ redis, replicas: settings.minReplicasAck, timeoutMs: REPLICA_WAIT_MS });
  const durably = async <T>(enqueued: Promise<T>): Promise<T> => {
    const result = await enqueued;
    await replicated();
    return result;
  };
  const inTime = <T>(enqueued: Promise<T>) => withTimeout(durably(enqueued), ENQUEUE_TIMEOUT_MS, 'enqueue timed out (is Redis reachable?)');
  const enqueue = (job: Parameters<typeof enqueueChatJob>[1]) => inTime(enqueueChatJob(queue, job));
  // Thread marks: a follow-up in a thread the bot takes part in needs no mention (Slack and Teams).
  const memory = conversationStore({ redis, prefix: config.QUEUE_PREFIX, ttlSeconds: config.CONVERSATION_TTL_SECONDS, tokenBudget: config.CONVERSATION_TOKEN_BUDGET });
  const approvalQueue = createApprovalQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  // What every adapter's Approve / Deny click needs for decideApproval (src/approval/decide-approval.ts).
  const approvals = {
    store: approvalStore(redis, config.QUEUE_PREFIX),
    settings: approvalSettingsFrom(config, config.AI4K8S_POLICY === undefined ? undefined : loadPolicy(config.AI4K8S_POLICY)),
    enqueue: (job: ApprovalJob) => inTime(enqueueApprovalJob(approvalQueue, job)),
    audit: auditLog({ redis, prefix: config.QUEUE_PREFIX, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
    // An accepted Approve click gets a grant signed here; the MCP server applies nothing without one (decision 012).
    signer: config.APPROVAL_SIGNING_KEY === undefined ? undefined : grantSigner({ key: config.APPROVAL_SIGNING_KEY, ttlSeconds: config.APPROVAL_GRANT_TTL_SECONDS }),
  };

  const metrics = roleMetrics({ queues: [queue, approvalQueue], queueRefreshMs: config.METRICS_QUEUE_REFRESH_SECONDS * 1000 });
  let socketMode: SlackSocketMode | undefined;
  // Ready when Redis answers and, over Socket Mode, the WebSocket to Slack is up (no envelope arrives otherwise).
  const ready = async (): Promise<boolean | NotReady> => {
    if (!(await redisAnswers(redis))) return { ready: false, reason: 'redis does not answer' };
    const slack = socketMode?.status();
    if (slack !== undefined && slack.state !== 'connected') return { ready: false, reason: `slack socket mode ${slack.state}: ${slack.reason ?? ''}`.trim() };
    return true;
  };
  const routes: Routes = { ...healthRoutes({ role: 'gateway', ready }), ...metrics.routes };
  if (config.SLACK_BOT_TOKEN !== undefined && (config.SLACK_SIGNING_SECRET !== undefined || config.SLACK_APP_TOKEN !== undefined)) {
    // Asked once here, never per request: the request path makes no Slack API call.
    const botUserId =
      config.SLACK_BOT_USER_ID ?? (await fetchBotUserId({ botToken: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL, logger }));
    const listeners = {
      botToken: config.SLACK_BOT_TOKEN,
      slackApiUrl: config.SLACK_API_URL,
      enqueue,
      botUserId,
      isKnownThread: (key: string) => memory.isKnownThread(key),
      approvals,
      logger,
    };
    // Socket Mode when an app token is set (no public URL needed), the HTTP request URL otherwise.
    if (config.SLACK_APP_TOKEN !== undefined) socketMode = await startSlackSocketMode({ ...listeners, appToken: config.SLACK_APP_TOKEN });
    else if (config.SLACK_SIGNING_SECRET !== undefined) Object.assign(routes, slackRoutes({ ...listeners, signingSecret: config.SLACK_SIGNING_SECRET }));
  }
  // Teams at POST /api/messages: TEAMS_APP_ID (JWT-verified), or TEAMS_ENABLED=true alone (emulator mode, logged).
  const teamsConnector = teamsConnectorFromConfig(config, logger);
  if (teamsConnector !== undefined) {
    Object.assign(routes, teamsRoutes({ connector: teamsConnector, enqueue, isKnownThread: (key) => memory.isKnownThread(key), approvals, logger }));
  }
  // Alertmanager's webhook is mounted only with ALERTS_TOKEN: an unauthenticated alert intake is never offered.
  const alertQueue = config.ALERTS_TOKEN === undefined ? undefined : createAlertQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  if (config.ALERTS_TOKEN !== undefined && alertQueue !== undefined) {
    Object.assign(
      routes,
      alertmanagerRoutes({
        token: config.ALERTS_TOKEN,
        enqueue: (job) => inTime(enqueueAlertJob(alertQueue, job)),
        logger,
      }),
    );
  }
  const consoleApp = webConsole({ config, redis, enqueue, approvals, queues: { chat: queue, approval: approvalQueue, ...(alertQueue === undefined ? {} : { alert: alertQueue }) }, logger });
  if (consoleApp !== undefined) Object.assign(routes, consoleApp.routes);
  if (alertQueue !== undefined) metrics.countQueue(alertQueue);
  const server = await startHttpServer({ host: config.HOST, port: config.PORT, logger, routes, observe: metrics.observeRequest });
  logger.info({ url: server.url, routes: Object.keys(routes) }, 'gateway listening');
  return {
    role: 'gateway',
    urls: { http: server.url },
    stop: async () => {
      await socketMode?.stop();
      consoleApp?.close(); // its open event streams would hold server.close()
      await server.close();
      await Promise.all([queue.close(), approvalQueue.close(), alertQueue?.close()]);
      await redis.quit().catch(() => undefined);
    },
  };
}
