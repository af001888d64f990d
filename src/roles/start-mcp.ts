import type { Config } from '../config/schema.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import type { Logger } from '../log/create-logger.ts';
import { healthRoutes } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartMcpOptions {
  config: Config;
  logger: Logger;
}

/** The MCP server role: Kubernetes and monitoring tools over Streamable HTTP at POST /mcp. */
export async function startMcp({ config, logger }: StartMcpOptions): Promise<RunningRole> {
  const server = await startHttpServer({
    host: config.HOST,
    port: config.MCP_PORT,
    logger,
    routes: healthRoutes({ role: 'mcp' }),
  });
  logger.info({ url: server.url }, 'mcp listening');
  return { role: 'mcp', urls: { http: server.url }, stop: () => server.close() };
}
