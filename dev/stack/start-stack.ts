import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis, type Cluster } from 'ioredis';
import type { RedisTopologyForTest } from '../services/redis-topologies.ts';
import { loadConfig, type Role } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { startGateway } from '../../src/roles/start-gateway.ts';
import { startMcp } from '../../src/roles/start-mcp.ts';
import type { RunningRole } from '../../src/roles/running-role.ts';
import { startWorker } from '../../src/roles/start-worker.ts';
import { testCluster } from '../cluster/shared-cluster.ts';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../fakes/fake-anthropic-api.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startFakeSlackSocketMode, type FakeSlackSocketMode } from '../fakes/fake-slack-socket-mode.ts';
import { testRedisUrl, uniqueName } from '../services/shared.ts';
import { startTeamsFakes, type TeamsFakes, type TeamsFakesOptions } from '../fakes/teams-fakes.ts';
import { postToSlackEndpoint, slashCommandBody, type SlashCommandOptions } from '../support/slack-requests.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

export const SIGNING_SECRET = 'e2e-signing-secret-5f1c';
export const BOT_TOKEN = 'xoxb-e2e-bot-token-7a9d';
export const MODEL_KEY = 'sk-ant-e2e-key-3b2c';
export const MCP_TOKEN = 'mcp-e2e-token-8e4f-0123456789abcdef';
/** The gateway and the MCP server hold it; the worker never does (it fails to start with it). */
export const APPROVAL_SIGNING_KEY = 'approval-e2e-signing-key-5b7e-0123456789';

const cli = join(import.meta.dirname, '../../src/cli/main.ts');

export interface StackOptions {
  /** Worker processes to spawn through the CLI (for crash tests); otherwise one in-process worker. */
  workerProcesses?: number;
  /** Skip starting the MCP server (to test it being down); the worker then points at a closed port. */
  withoutMcp?: boolean;
  /** Extra settings for every role. */
  env?: Record<string, string>;
  kubeconfigPath?: string;
  /** Microsoft Teams at /api/messages with a fake Bot Connector; `{ auth: true }` adds TEAMS_APP_ID and fake token services. */
  teams?: TeamsFakesOptions;
  /** Settings that name the Teams fakes (e.g. ALERTS_TEAMS_CONVERSATION with the fake connector's serviceUrl), with `teams`. */
  teamsEnv?: (teams: TeamsFakes) => Record<string, string>;
  /** Slack over Socket Mode (SLACK_APP_TOKEN, a fake WebSocket endpoint) instead of the HTTP request URL. */
  socketMode?: boolean;
  /** Another Redis topology (Cluster, Sentinel, TLS + ACL) instead of the shared standalone server; the test stops it. */
  redis?: Pick<RedisTopologyForTest, 'env' | 'client'>;
  /** A Redis of the test's own (to stop and restart it) instead of the shared one. */
  redisUrl?: string;
  /** The MCP server's port; with `withoutMcp`, the worker is pointed there so the test can start it later (`startMcp`). */
  mcpPort?: number;
}

export interface Stack {
  gatewayUrl: string;
  slack: FakeSlackApi;
  model: FakeAnthropicApi;
  redis: Redis | Cluster;
  prefix: string;
  env: Record<string, string>;
  workers: ChildProcess[];
  /** The fake Bot Connector (and token services), with `teams`. */
  teams: TeamsFakes | undefined;
  /** The fake Socket Mode endpoint, with `socketMode: true`. */
  socket: FakeSlackSocketMode | undefined;
  /** Base URL of each in-process role's HTTP server (health and /metrics), by role. */
  roleUrls: Record<string, string>;
  spawnWorker(): ChildProcess;
  /** Starts the in-process MCP server (again) on its port: after `stopMcp`, or when the stack began without it. */
  startMcp(): Promise<void>;
  /** Stops the in-process MCP server; the worker then sees it as unreachable. */
  stopMcp(): Promise<void>;
  slashCommand(options: SlashCommandOptions & { retryNum?: number }): Promise<Response>;
  stop(): Promise<void>;
}

/** The whole product on loopback: gateway, worker(s) and MCP server against real Redis and the test cluster. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [redisUrl, cluster, slack, model] = await Promise.all([
    options.redis === undefined ? (options.redisUrl ?? testRedisUrl()) : undefined,
    testCluster(),
    startFakeSlackApi({ token: BOT_TOKEN }),
    startFakeAnthropicApi({ apiKey: MODEL_KEY }),
  ]);
  const prefix = options.env?.QUEUE_PREFIX ?? uniqueName('e2e');
  const env: Record<string, string> = {
    ...(options.redis?.env ?? { REDIS_URL: redisUrl ?? '' }),
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    MCP_PORT: '0',
    WORKER_PORT: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    ANTHROPIC_API_KEY: MODEL_KEY,
    ANTHROPIC_BASE_URL: model.url,
    MCP_TOKEN,
    APPROVAL_SIGNING_KEY,
    KUBECONFIG: options.kubeconfigPath ?? cluster.kubeconfigPath,
    LOG_LEVEL: process.env.AI4K8S_TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  };
  const teams = options.teams === undefined ? undefined : await startTeamsFakes(options.teams);
  Object.assign(env, teams?.env);
  if (teams !== undefined) Object.assign(env, options.teamsEnv?.(teams));
  const logger = createLogger({ level: env.LOG_LEVEL });
  // The worker gets every setting but the approval signing key: it must not be able to mint grants.
  const workerEnv = () => ({ ...env, APPROVAL_SIGNING_KEY: '' });
  const config = (role: Role): Config => loadConfig({ env: role === 'worker' ? workerEnv() : env, role });
  const roles: RunningRole[] = [];
  const workers: ChildProcess[] = [];
  const redis = options.redis?.client() ?? new Redis(redisUrl ?? '', { maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // the test's own connection: a test restarting Redis expects refusals
  const socket = options.socketMode === true ? await startFakeSlackSocketMode({ slack }) : undefined;
  if (socket !== undefined) env.SLACK_APP_TOKEN = socket.appToken;

  let mcp: RunningRole | undefined;
  const startMcpRole = async () => {
    if (mcp !== undefined) return;
    mcp = await startMcp({ config: config('mcp'), logger });
    env.MCP_PORT = new URL(mcp.urls.http ?? '').port;
    env.MCP_URL ??= mcp.urls.mcp ?? `${mcp.urls.http}/mcp`;
  };
  const stopMcpRole = async () => {
    const running = mcp;
    mcp = undefined;
    await running?.stop();
  };
  if (options.mcpPort !== undefined) env.MCP_PORT = String(options.mcpPort);
  if (options.withoutMcp === true) env.MCP_URL ??= `http://127.0.0.1:${options.mcpPort ?? 1}/mcp`;
  else await startMcpRole();
  const spawnWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'worker'], {
      env: { PATH: process.env.PATH ?? '', ...workerEnv() },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    workers.push(child);
    return child;
  };
  if (options.workerProcesses === undefined) roles.push(await startWorker({ config: config('worker'), logger }));
  else for (let i = 0; i < options.workerProcesses; i += 1) spawnWorker();
  const gateway = await startGateway({ config: config('gateway'), logger });
  roles.push(gateway);
  const gatewayUrl = gateway.urls.http ?? '';

  return {
    gatewayUrl,
    slack,
    model,
    redis,
    prefix,
    env,
    workers,
    teams,
    socket,
    roleUrls: Object.fromEntries([...(mcp === undefined ? [] : [mcp]), ...roles].map((role) => [role.role, role.urls.http ?? ''])),
    spawnWorker,
    startMcp: startMcpRole,
    stopMcp: stopMcpRole,
    slashCommand: ({ retryNum, ...command }) =>
      postToSlackEndpoint({ gatewayUrl, body: slashCommandBody(command), secret: SIGNING_SECRET, retryNum }),
    stop: async () => {
      for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const role of roles.reverse()) await role.stop();
      await stopMcpRole();
      // A topology of the test's own is thrown away whole; on the shared server, this test's keys are removed.
      if (options.redis === undefined) {
        const keys = await redis.keys(`${redisKeys(prefix).tag}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      redis.disconnect();
      await Promise.all([slack.stop(), model.stop(), socket?.stop(), teams?.stop()]);
    },
  };
}
