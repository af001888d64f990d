import { startAlertWorker } from '../worker/start-alert-worker.ts';
import { startDigestWorker } from '../digests/start-digest-worker.ts';
import type { Config } from '../config/schema.ts';
import { redisSettingsFrom } from '../config/redis-settings.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { createRedis, redisAnswers } from '../queue/create-redis.ts';
import { startApprovalWorker } from '../worker/start-approval-worker.ts';
import { SHUTDOWN_REASON } from '../worker/job-abort.ts';
import { startChatWorker } from '../worker/start-chat-worker.ts';
import { createWorkerServices } from '../worker/worker-services.ts';
import { roleMetrics } from '../metrics/role-metrics.ts';
import { healthRoutes } from './health-routes.ts';
import { workerPlatforms } from './worker-platforms.ts';
import type { RunningRole } from './running-role.ts';

export interface StartWorkerOptions {
  config: Config;
  logger: Logger;
}

/** The worker: takes queued questions, runs the agent against the MCP server, posts answers. */
export async function startWorker({ config, logger }: StartWorkerOptions): Promise<RunningRole> {
  const redis = createRedis({ settings: redisSettingsFrom(config), name: 'worker', logger });
  const services = createWorkerServices({ config, logger, redis, ...workerPlatforms({ config, logger, redis }) });
  const worker = startChatWorker({ config, logger, redis, services });
  const approvals = startApprovalWorker({ config, logger, redis, services });
  const alerts = startAlertWorker({ config, logger, redis, services });
  const digests = await startDigestWorker({ config, logger, redis, services });
  const metrics = roleMetrics();
  const server = await startHttpServer({
    host: config.HOST,
    port: config.WORKER_PORT,
    logger,
    routes: {
      ...healthRoutes({
        role: 'worker',
        ready: async () =>
          (await redisAnswers(redis)) && worker.isRunning() && approvals.isRunning() && alerts.isRunning() && digests.isRunning(),
      }),
      ...metrics.routes,
    },
    observe: metrics.observeRequest,
  });
  logger.info({ url: server.url, mcpUrl: config.MCP_URL, concurrency: config.WORKER_CONCURRENCY }, 'worker listening');
  return {
    role: 'worker',
    urls: { http: server.url },
    stop: async () => {
      await server.close();
      // Answers in flight are stopped (model and tool calls aborted) and handed back to the queue at once, so
      // another worker takes them well inside SHUTDOWN_TIMEOUT_MS; approvals, alert updates and digests are short and finish.
      worker.cancelAllJobs(SHUTDOWN_REASON);
      await Promise.all([worker.close(), approvals.close(), alerts.close(), digests.close()]);
      await services.toolboxes.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
