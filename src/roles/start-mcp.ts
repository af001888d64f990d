import type { Config } from '../config/schema.ts';
import { redisSettingsFrom } from '../config/redis-settings.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import { ConfigError } from '../config/errors.ts';
import { createKubeClientPool } from '../kube/kube-client-pool.ts';
import { KubeConfigError } from '../kube/errors.ts';
import { loadKubeConfig } from '../kube/load-kube-config.ts';
import type { Logger } from '../log/create-logger.ts';
import { buildToolList } from '../mcp/build-tool-list.ts';
import { allowedHosts } from '../http/host-allowed.ts';
import { kindDenial } from '../mcp/kind-denial.ts';
import { mcpRoutes } from '../mcp/mcp-routes.ts';
import { allTools } from '../mcp/toolsets/index.ts';
import { monitoringClients } from '../monitoring/monitoring-clients.ts';
import { roleMetrics } from '../metrics/role-metrics.ts';
import { auditLog } from '../audit/audit-log.ts';
import { usedGrants } from '../mcp/used-grants.ts';
import { writeGuard, type WriteGuard } from '../mcp/write-guard.ts';
import { createRedis, redisAnswers } from '../queue/create-redis.ts';
import { healthRoutes } from './health-routes.ts';
import type { RunningRole } from './running-role.ts';

export interface StartMcpOptions {
  config: Config;
  logger: Logger;
}

/** The MCP server role: Kubernetes and monitoring tools over Streamable HTTP at POST /mcp. */
export async function startMcp({ config, logger }: StartMcpOptions): Promise<RunningRole> {
  if (config.MCP_TOKEN === undefined) throw new Error('MCP_TOKEN is required by the mcp role'); // loadConfig checks it first
  let clients;
  try {
    clients = createKubeClientPool({ kubeConfig: loadKubeConfig({ kubeconfigPath: config.KUBECONFIG }) });
    clients.client(); // the current context must be usable now, not at the first call
  } catch (error) {
    // A missing or unreadable kubeconfig is a configuration problem: fail at start, naming the variable.
    if (error instanceof KubeConfigError) throw new ConfigError([error.message]);
    throw error;
  }
  const identityPolicy = config.policy?.identities;
  const tools = buildToolList({
    tools: allTools({ monitoring: monitoringClients(config) }),
    readOnly: !config.MCP_ENABLE_WRITE_TOOLS,
    allowed: config.MCP_ALLOWED_TOOLS,
    denied: config.MCP_DENIED_TOOLS,
  });
  const writes = tools.some((tool) => !tool.annotations.readOnlyHint);
  // With write tools the server verifies approval grants: used grant ids and the audit of refusals live in Redis,
  // shared by every replica (decision 012). A read-only server needs no Redis.
  let redis: ReturnType<typeof createRedis> | undefined;
  let guard: WriteGuard | undefined;
  if (writes) {
    if (config.APPROVAL_SIGNING_KEY === undefined)
      throw new ConfigError(['APPROVAL_SIGNING_KEY: is required by the mcp role when MCP_ENABLE_WRITE_TOOLS=true']); // loadConfig checks it first
    redis = createRedis({ settings: redisSettingsFrom(config), name: 'mcp', logger });
    guard = writeGuard({
      signingKey: config.APPROVAL_SIGNING_KEY,
      used: usedGrants({ redis, prefix: config.QUEUE_PREFIX }),
      audit: auditLog({ redis, prefix: config.QUEUE_PREFIX, maxEvents: config.AUDIT_MAX_EVENTS, logger }),
      logger,
    });
  }
  const ready = redis === undefined ? undefined : () => redisAnswers(redis);
  // GET /metrics is open like the health routes (counts only, no cluster data); POST /mcp keeps its bearer token.
  const metrics = roleMetrics();
  const server = await startHttpServer({
    host: config.HOST,
    port: config.MCP_PORT,
    logger,
    observe: metrics.observeRequest,
    routes: {
      ...healthRoutes({ role: 'mcp', ...(ready === undefined ? {} : { ready }) }),
      ...metrics.routes,
      ...mcpRoutes({
        token: config.MCP_TOKEN,
        readTokens: config.MCP_READ_TOKENS,
        guard,
        tools,
        clients,
        allowedHosts: allowedHosts({ bindHost: config.HOST, extra: config.MCP_ALLOWED_HOSTS }),
        identityPolicy,
        deniesKind: kindDenial(config.MCP_DENIED_KINDS),
        logger,
        outputTokens: config.MCP_OUTPUT_TOKENS,
      }),
    },
  });
  const url = `${server.url}/mcp`;
  const kube = clients.client();
  logger.info(
    {
      url,
      tools: tools.length,
      writeTools: tools.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name),
      cluster: kube.server,
      context: kube.context,
      contexts: clients.contexts.length,
      identities:
        identityPolicy === undefined
          ? 'server'
          : `${Object.keys(identityPolicy.users).length} mapped, unmapped: ${identityPolicy.unmapped}`,
      readTokens: config.MCP_READ_TOKENS.length,
    },
    'mcp listening',
  );
  return {
    role: 'mcp',
    urls: { http: server.url, mcp: url },
    stop: async () => {
      await server.close();
      clients.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
