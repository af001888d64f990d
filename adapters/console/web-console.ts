import type { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/create-redis.ts';
import { isLoopbackHost } from '../../src/chat/console/is-loopback-host.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ChatJob } from '../../src/queue/chat-job.ts';
import type { ConsoleApprovals } from './console-admin-handlers.ts';
import { consoleRoutes } from './console-routes.ts';

export interface WebConsoleOptions {
  config: Config;
  redis: RedisClient;
  enqueue: (job: ChatJob) => Promise<string>;
  approvals: ConsoleApprovals;
  queues: Record<string, Queue>;
  logger: Logger;
}

/**
 * The web console's routes when it may be offered: with CONSOLE_TOKEN, or on a loopback HOST (then without a
 * login, said loudly in the log). Beyond loopback without a token it is not mounted at all (CONSOLE_ENABLED=true
 * makes that a start-up error instead); CONSOLE_ENABLED=false turns it off.
 */
export function webConsole({ config, redis, enqueue, approvals, queues, logger }: WebConsoleOptions): { routes: Routes; close: () => void } | undefined {
  if (config.CONSOLE_ENABLED === false) return undefined;
  const token = config.CONSOLE_TOKEN;
  if (token === undefined && !isLoopbackHost(config.HOST)) {
    logger.warn({ host: config.HOST }, 'web console off: HOST is not loopback and CONSOLE_TOKEN is not set');
    return undefined;
  }
  if (token === undefined) {
    logger.warn({ host: config.HOST }, 'web console has NO LOGIN: CONSOLE_TOKEN is not set, so anyone on this machine can use /console');
  }
  return consoleRoutes({
    token,
    aiConfigured: config.ANTHROPIC_API_KEY !== undefined,
    redis,
    prefix: config.QUEUE_PREFIX,
    ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    enqueue,
    approvals,
    queues,
    logger,
  });
}
