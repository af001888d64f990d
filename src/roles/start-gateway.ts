import { alertmanagerRoutes } from '../../adapters/alertmanager/alertmanager-routes.ts';
import { webConsole } from '../../adapters/console/web-console.ts';
import { fetchBotUserId } from '../../adapters/slack/fetch-bot-user-id.ts';
import { slackRoutes } from '../../adapters/slack/slack-routes.ts';
import { startSlackSocketMode, type SlackSocketMode } from '../../adapters/slack/slack-socket-mode.ts';
import { teamsAllowedTenants, teamsConnectorFromConfig } from '../../adapters/teams/teams-connector-from-config.ts';
import { teamsRoutes } from '../../adapters/teams/teams-routes.ts';
import type { Config } from '../config/schema.ts';
import { redisSettingsFrom } from '../config/redis-settings.ts';
import { startHttpServer, type Routes } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { approvalSettingsFrom } from '../approval/approval-settings.ts';
import { grantSigner } from '../approval/grant-signer.ts';
import { auditLog } from '../audit/audit-log.ts';
import { alertJobId, createAlertQueue, enqueueAlertJob } from '../queue/alert-queue.ts';
import type { AlertJob } from '../queue/alert-job.ts';
import { createApprovalQueue, enqueueApprovalJob } from '../queue/approval-queue.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { chatJobId, createChatQueue, enqueueChatJob } from '../queue/chat-queue.ts';
import { confirmedEnqueue } from '../queue/confirmed-enqueue.ts';
import { createFailFastRedis, createRedis, redisAnswers, type RedisClient } from '../queue/create-redis.ts';
import { jobStartGate } from '../queue/job-start-gate.ts';
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
  // Questions and alerts are enqueued on a connection that never holds a command for later: an ack says
  // "queued" only when Redis confirmed the job, "not started" only when nothing was sent (decision 014).
  const enqueueRedis = createFailFastRedis({ settings, name: 'gateway-enqueue', logger, commandTimeoutMs: ENQUEUE_TIMEOUT_MS - 500 });
  const queue = createChatQueue({ connection: enqueueRedis, prefix: config.QUEUE_PREFIX, logger });
  const gate = jobStartGate(redis, config.QUEUE_PREFIX);
  // With replicas to wait for, a job counts as enqueued only once they hold it: a failover cannot lose an acked
  // question. WAIT runs on the connection that wrote the job; a lag is an unconfirmed enqueue.
  const durablyOn = (connection: RedisClient) => {
    const replicated = waitForReplicas({ redis: connection, replicas: settings.minReplicasAck, timeoutMs: REPLICA_WAIT_MS });
    return async <T>(enqueued: Promise<T>): Promise<T> => {
      const result = await enqueued;
      await replicated();
      return result;
    };
  };
  const durably = durablyOn(enqueueRedis);
  const inTime = <T>(enqueued: Promise<T>) => withTimeout(enqueued, ENQUEUE_TIMEOUT_MS, 'enqueue timed out (is Redis reachable?)');
  const enqueue = (job: ChatJob) =>
    confirmedEnqueue({ add: () => inTime(durably(enqueueChatJob(queue, job))), jobId: chatJobId(job), gate, logger });
  // Thread marks: a follow-up in a thread the bot takes part in needs no mention (Slack and Teams).
  const memory = conversationStore({
    redis,
    prefix: config.QUEUE_PREFIX,
    ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    tokenBudget: config.CONVERSATION_TOKEN_BUDGET,
  });
  const approvalQueue = createApprovalQueue({ connection: redis, prefix: config.QUEUE_PREFIX, logger });
  const approvalDurably = durablyOn(redis);
  // What every adapter's Approve / Deny click needs for decideApproval (src/approval/decide-approval.ts).
  const approvals = {
    store: approvalStore(redis, config.QUEUE_PREFIX),
    settings: approvalSettingsFrom(config, config.policy),
    enqueue: (job: ApprovalJob) => inTime(approvalDurably(enqueueApprovalJob(approvalQueue, job))),
    audit: auditLog({ redis, prefix: config.QUEUE_PREFIX, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
    // An accepted Approve click gets a grant signed here; the MCP server applies nothing without one (decision 012).
    signer:
      config.APPROVAL_SIGNING_KEY === undefined
        ? undefined
        : grantSigner({ key: config.APPROVAL_SIGNING_KEY, ttlSeconds: config.APPROVAL_GRANT_TTL_SECONDS }),
  };

  const metrics = roleMetrics({ queues: [queue, approvalQueue], queueRefreshMs: config.METRICS_QUEUE_REFRESH_SECONDS * 1000 });
  let socketMode: SlackSocketMode | undefined;
  // Ready when Redis answers and, over Socket Mode, the WebSocket to Slack is up (no envelope arrives otherwise).
  const ready = async (): Promise<boolean | NotReady> => {
    if (!(await redisAnswers(redis))) return { ready: false, reason: 'redis does not answer' };
    const slack = socketMode?.status();
    if (slack !== undefined && slack.state !== 'connected')
      return { ready: false, reason: `slack socket mode ${slack.state}: ${slack.reason ?? ''}`.trim() };
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
    else if (config.SLACK_SIGNING_SECRET !== undefined)
      Object.assign(routes, slackRoutes({ ...listeners, signingSecret: config.SLACK_SIGNING_SECRET }));
  }
  // Teams at POST /api/messages: TEAMS_APP_ID (JWT-verified), or TEAMS_ENABLED=true alone (emulator mode, logged).
  const teamsConnector = teamsConnectorFromConfig(config, logger);
  if (teamsConnector !== undefined) {
    Object.assign(
      routes,
      teamsRoutes({
        connector: teamsConnector,
        enqueue,
        isKnownThread: (key) => memory.isKnownThread(key),
        allowedTenants: teamsAllowedTenants(config),
        approvals,
        logger,
      }),
    );
  }
  // Alertmanager's webhook is mounted only with ALERTS_TOKEN: an unauthenticated alert intake is never offered.
  const alertQueue =
    config.ALERTS_TOKEN === undefined ? undefined : createAlertQueue({ connection: enqueueRedis, prefix: config.QUEUE_PREFIX, logger });
  if (config.ALERTS_TOKEN !== undefined && alertQueue !== undefined) {
    Object.assign(
      routes,
      alertmanagerRoutes({
        token: config.ALERTS_TOKEN,
        // Alertmanager re-sends a notification it got no 2xx for, as the same job: no cancellation needed.
        enqueue: (job: AlertJob) =>
          confirmedEnqueue({
            add: () => inTime(durably(enqueueAlertJob(alertQueue, job))),
            jobId: alertJobId(job.notification),
            gate,
            logger,
          }),
        logger,
      }),
    );
  }
  const consoleApp = webConsole({
    config,
    redis,
    enqueue,
    approvals,
    queues: { chat: queue, approval: approvalQueue, ...(alertQueue === undefined ? {} : { alert: alertQueue }) },
    logger,
  });
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
      await Promise.all([redis.quit().catch(() => undefined), enqueueRedis.quit().catch(() => undefined)]);
    },
  };
}
