import type { Config } from '../config/schema.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { createRedis, redisAnswers } from '../queue/create-redis.ts';
import { healthRoutes } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartGatewayOptions {
  config: Config;
  logger: Logger;
}

/** The gateway: verifies, normalises, dedupes and enqueues chat requests. No model or cluster calls. */
export async function startGateway({ config, logger }: StartGatewayOptions): Promise<RunningRole> {
  const redis = createRedis({ url: config.REDIS_URL, name: 'gateway', logger });
  const server = await startHttpServer({
    host: config.HOST,
    port: config.PORT,
    logger,
    routes: { ...healthRoutes({ role: 'gateway', ready: () => redisAnswers(redis) }) },
  });
  logger.info({ url: server.url, routes: ['GET /healthz', 'GET /readyz'] }, 'gateway listening');
  return {
    role: 'gateway',
    urls: { http: server.url },
    stop: async () => {
      await server.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
