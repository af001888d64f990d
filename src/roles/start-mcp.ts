import type { Config } from '../config/schema.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import { ConfigError } from '../config/errors.ts';
import { createKubeClient } from '../kube/create-kube-client.ts';
import { KubeConfigError } from '../kube/errors.ts';
import type { Logger } from '../log/create-logger.ts';
import { buildToolList } from '../mcp/build-tool-list.ts';
import { mcpRoutes } from '../mcp/mcp-routes.ts';
import { allTools } from '../mcp/toolsets/index.ts';
import { healthRoutes } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartMcpOptions {
  config: Config;
  logger: Logger;
}

/** The MCP server role: Kubernetes and monitoring tools over Streamable HTTP at POST /mcp. */
export async function startMcp({ config, logger }: StartMcpOptions): Promise<RunningRole> {
  if (config.MCP_TOKEN === undefined) throw new Error('MCP_TOKEN is required by the mcp role'); // loadConfig checks it first
  let kube;
  try {
    kube = createKubeClient({ kubeconfigPath: config.KUBECONFIG });
  } catch (error) {
    // A missing or unreadable kubeconfig is a configuration problem: fail at start, naming the variable.
    if (error instanceof KubeConfigError) throw new ConfigError([error.message]);
    throw error;
  }
  const tools = buildToolList({ tools: allTools(), readOnly: true });
  const server = await startHttpServer({
    host: config.HOST,
    port: config.MCP_PORT,
    logger,
    routes: {
      ...healthRoutes({ role: 'mcp' }),
      ...mcpRoutes({ token: config.MCP_TOKEN, tools, kube, logger }),
    },
  });
  const url = `${server.url}/mcp`;
  logger.info({ url, tools: tools.length, cluster: kube.server, context: kube.context }, 'mcp listening');
  return { role: 'mcp', urls: { http: server.url, mcp: url }, stop: () => server.close() };
}
