import { Redis } from 'ioredis';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startFakeAnthropicApi, type FakeAnthropicApi } from '../../dev/fakes/fake-anthropic-api.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';
import { deletePrefix } from './delete-prefix.ts';
import { BENCH_BOT_TOKEN, BENCH_MODEL_KEY, roleEnv } from './role-env.ts';
import { startRoleProcess, type LogLine } from './spawn-logged-process.ts';

export type RoleProcess = Awaited<ReturnType<typeof startRoleProcess>>;

export interface StartRoleOptions {
  /** Which log lines the process keeps (e.g. the worker's "answered" lines). */
  keep?: (line: LogLine) => boolean;
  /** The built CLI, as the image runs it (see startRoleProcess). */
  compiled?: boolean;
  /** Settings of this process only, over the shared `env`. */
  env?: Record<string, string>;
}

export interface BenchServices {
  redisUrl: string;
  slack: FakeSlackApi;
  model: FakeAnthropicApi;
  /** The benchmark's own Redis connection (queue counts, clean-up). */
  redis: Redis;
  /** This run's QUEUE_PREFIX: its keys are deleted by stop(). */
  prefix: string;
  /** The settings every role process gets; MCP_URL is set once the MCP role has started. */
  env: Record<string, string>;
  /** Starts a role process on `env` (an MCP role also sets `env.MCP_URL`); stop() stops it if it still runs. */
  startRole(role: 'gateway' | 'worker' | 'mcp', options?: StartRoleOptions): Promise<RoleProcess>;
  /** Stops the role processes (last started first), the fakes, and deletes this run's Redis keys. */
  stop(): Promise<void>;
}

/**
 * What a benchmark of the whole pipeline runs against: the shared Redis and test cluster, fake Slack and a fake
 * model that requires tools, a unique prefix named after `label`, and the role processes' environment.
 */
export async function startBenchServices({ label, logLevel = 'info' }: { label: string; logLevel?: string }): Promise<BenchServices> {
  const [redisUrl, cluster, slack, model] = await Promise.all([
    testRedisUrl(),
    testCluster(),
    startFakeSlackApi({ token: BENCH_BOT_TOKEN }),
    startFakeAnthropicApi({ apiKey: BENCH_MODEL_KEY, requireTools: true }),
  ]);
  const prefix = uniqueName(label);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const env = roleEnv({ redisUrl, prefix, slackUrl: slack.url, modelUrl: model.url, kubeconfigPath: cluster.kubeconfigPath, logLevel });
  const roles: RoleProcess[] = [];
  return {
    redisUrl,
    slack,
    model,
    redis,
    prefix,
    env,
    startRole: async (role, { keep, compiled = false, env: own = {} } = {}) => {
      const started = await startRoleProcess(role, { ...env, ...own }, keep, { compiled });
      roles.push(started);
      if (role === 'mcp') env.MCP_URL = String(started.listening.url);
      return started;
    },
    stop: async () => {
      for (const role of roles.reverse()) await role.process.stop().catch(() => undefined);
      await Promise.all([slack.stop(), model.stop()]);
      await deletePrefix(redis, prefix);
      await redis.quit();
    },
  };
}
