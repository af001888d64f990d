/**
 * `npm run demo`: everything on this machine in one command, for a first look. A local redis-server (or
 * REDIS_URL), the local test cluster with its seeded broken workloads (or KUBECONFIG), then the product as
 * `ai4k8s all` does it (MCP server, worker, gateway with the web console), and the console's URL and token.
 * With ANTHROPIC_API_KEY it answers free-form questions; without, kubectl-style commands work (direct mode).
 * Every other setting in the shell (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL, MCP_ENABLE_WRITE_TOOLS, …) reaches the
 * roles unchanged; the demo only fills in Redis, the cluster, ports and tokens.
 * Ctrl-C stops everything it started.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { ConfigError } from '../src/config/errors.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { secretKeys } from '../src/config/schema.ts';
import { createLogger } from '../src/log/create-logger.ts';
import { startRole } from '../src/roles/start-role.ts';
import { PAYMENTS_NAMESPACE, SHOP_NAMESPACE } from '../test/cluster/fixture-names.ts';
import { clusterBinariesCached, missingPrerequisites } from './demo-prerequisites.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const DEFAULT_PORT = 3000;

async function main(): Promise<number> {
  const env = process.env;
  const missing = missingPrerequisites(env);
  if (missing.length > 0) {
    for (const line of missing) process.stderr.write(`demo: missing: ${line}\n`);
    return 1;
  }
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => process.stderr.write(`demo: while stopping: ${String(error)}\n`));
  };
  let interrupted = false;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (interrupted) {
        process.stderr.write('demo: second interrupt; exiting now\n');
        process.exit(130);
      }
      interrupted = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  try {
    let redisUrl = env.REDIS_URL ?? '';
    if (redisUrl === '') {
      say('demo: starting a local redis-server…');
      const { startRedisServer } = await import('../test/support/redis-server.ts');
      const redis = await startRedisServer();
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    let kubeconfig = env.KUBECONFIG ?? '';
    let clusterNote = `your cluster (KUBECONFIG=${kubeconfig})`;
    if (kubeconfig === '') {
      say(clusterBinariesCached() ? 'demo: starting the local test cluster…' : 'demo: building kube-apiserver and etcd with Go (first run only, a few minutes)…');
      const { startTestCluster } = await import('../test/cluster/start-test-cluster.ts');
      const cluster = await startTestCluster();
      stops.push(() => cluster.stop());
      kubeconfig = cluster.kubeconfigPath;
      clusterNote = `local test cluster with seeded broken workloads in namespaces ${SHOP_NAMESPACE} and ${PAYMENTS_NAMESPACE} (kubeconfig: ${kubeconfig})`;
    }
    if (interrupted) return 0;

    const consoleToken = env.CONSOLE_TOKEN ?? randomBytes(12).toString('hex');
    const settings: Record<string, string | undefined> = {
      ...env,
      REDIS_URL: redisUrl,
      KUBECONFIG: kubeconfig,
      QUEUE_PREFIX: env.QUEUE_PREFIX ?? 'ai4k8s-demo',
      HOST: '127.0.0.1',
      PORT: env.PORT ?? String(await portOr(DEFAULT_PORT)),
      MCP_PORT: '0',
      WORKER_PORT: '0',
      // `all` wires the worker to its own MCP server; a token for it is made up fresh each run.
      MCP_URL: undefined,
      MCP_TOKEN: randomBytes(16).toString('hex'),
      CONSOLE_TOKEN: consoleToken,
      CONSOLE_ENABLED: 'true',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    };
    const config = loadConfig({ env: settings, role: 'all' });
    const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretKeys.map((key) => config[key]), base: { role: 'all' } });
    const running = await startRole({ role: 'all', config, logger });
    stops.push(() => running.stop());
    const consoleUrl = `${running.urls.gateway ?? ''}/console`;
    const ai = config.ANTHROPIC_API_KEY === undefined
      ? `off: set ANTHROPIC_API_KEY to ask free-form questions. Meanwhile direct mode works, try: pods -n ${SHOP_NAMESPACE}`
      : `on (${config.ANTHROPIC_MODEL}${config.ANTHROPIC_BASE_URL === undefined ? '' : ` at ${config.ANTHROPIC_BASE_URL}`}): ask e.g. "why is checkout crashing in ${SHOP_NAMESPACE}?"`;
    say();
    say('ai4k8s demo is running.');
    say();
    say(`  Web console:  ${consoleUrl}`);
    say(`  Login token:  ${consoleToken}   (sign in with any name; the shared token asks and reads, approving needs a console account: docs/console.md)`);
    say(`  AI:           ${ai}`);
    say(`  Cluster:      ${clusterNote}`);
    say(`  Redis:        ${redisUrl}`);
    say();
    say('Ctrl-C stops everything.');
    await stopped;
    say('\ndemo: stopping…');
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) process.stderr.write(`demo: ${error.message}\n`);
    else process.stderr.write(`demo: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await stopAll();
  }
}

/** `preferred` when it is free on loopback, else any free port: a second demo (or another app on 3000) still starts. */
async function portOr(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? 0;
}

main().then(
  (code) => {
    say(code === 0 ? 'demo: stopped' : '');
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
