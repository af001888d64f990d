/** Credentials the benchmarks' role processes and fakes share (our own secrets need 32+ characters). */
export const BENCH_SIGNING_SECRET = 'bench-signing-secret-4d1e';
export const BENCH_BOT_TOKEN = 'xoxb-bench-bot-token-9c3a';
export const BENCH_MODEL_KEY = 'sk-ant-bench-key-6f0b';
export const BENCH_MCP_TOKEN = 'mcp-bench-token-2a7c-0123456789abcdef01';

/** The environment of gateway, worker and MCP processes wired to one Redis, the fakes and the test cluster, on free ports. */
export function roleEnv({
  redisUrl,
  prefix,
  slackUrl,
  modelUrl,
  kubeconfigPath,
  logLevel,
}: {
  redisUrl: string;
  prefix: string;
  slackUrl: string;
  modelUrl: string;
  kubeconfigPath: string;
  logLevel: string;
}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    MCP_PORT: '0',
    WORKER_PORT: '0',
    SLACK_BOT_TOKEN: BENCH_BOT_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: slackUrl,
    ANTHROPIC_API_KEY: BENCH_MODEL_KEY,
    ANTHROPIC_BASE_URL: modelUrl,
    MCP_TOKEN: BENCH_MCP_TOKEN,
    KUBECONFIG: kubeconfigPath,
    LOG_LEVEL: logLevel,
  };
}
