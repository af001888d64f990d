/**
 * `npm run demo`: everything on this machine in one command, for a first look. A local redis-server (or
 * REDIS_URL), the local test cluster with its seeded broken workloads (or KUBECONFIG), then the product as
 * `ai4k8s all` does it (MCP server, worker, gateway with the web console), and the console's URL and token.
 * With ANTHROPIC_API_KEY it answers free-form questions; without, kubectl-style commands work (direct mode).
 * Every other setting in the shell (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL, MCP_ENABLE_WRITE_TOOLS, …) reaches the
 * roles unchanged; the demo only fills in Redis, the cluster, ports and tokens.
 * Ctrl-C stops everything it started, each step bounded by SHUTDOWN_TIMEOUT_MS; a second Ctrl-C kills at once.
 * An exported KUBECONFIG is never used silently: `--cluster=current` uses it (the banner names the context),
 * `--cluster=local` ignores it, and without either the demo asks (or, without a terminal, stops and says so).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { ConfigError } from '../src/config/errors.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { secretValues } from '../src/config/schema.ts';
import { createLogger } from '../src/log/create-logger.ts';
import { startRole } from '../src/roles/start-role.ts';
import { PAYMENTS_NAMESPACE, SHOP_NAMESPACE } from '../dev/cluster/fixture-names.ts';
import { chooseCluster, parseDemoArgs } from './demo-cluster-choice.ts';
import { clusterBinariesCached, missingPrerequisites } from './demo-prerequisites.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const DEFAULT_PORT = 3000;

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`demo: ${args}\n`);
    return 2;
  }
  const choice = await chooseCluster({ env: process.env, flag: args.cluster, ask: process.stdin.isTTY ? askYesNo : undefined });
  if (choice.kind === 'refused') {
    process.stderr.write(`demo: ${choice.message}\n`);
    return 1;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: choice.kind === 'current' ? process.env.KUBECONFIG : undefined };
  const missing = missingPrerequisites(env);
  if (missing.length > 0) {
    for (const line of missing) process.stderr.write(`demo: missing: ${line}\n`);
    return 1;
  }
  const shutdownMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? '') > 0 ? Number(env.SHUTDOWN_TIMEOUT_MS) : 10_000;
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  // In order, newest first, each bounded: a service that died before us (Redis gone under a BullMQ worker) must
  // not hold the rest. Whatever is still running afterwards is killed by the reapers when this process exits.
  const stopAll = async () => {
    for (const { name, stop } of stops.splice(0).reverse()) {
      const outcome = await boundedStop(stop, shutdownMs);
      if (outcome === 'timeout') process.stderr.write(`demo: ${name} did not stop within ${shutdownMs} ms; moving on\n`);
      else if (outcome !== 'ok') process.stderr.write(`demo: while stopping ${name}: ${outcome}\n`);
    }
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
      const { startRedisServer } = await import('../dev/services/redis-server.ts');
      const redis = await startRedisServer();
      stops.push({ name: 'redis-server', stop: () => redis.stop() });
      redisUrl = redis.url;
    }
    let kubeconfig = env.KUBECONFIG ?? '';
    let clusterNote = choice.kind === 'current' ? choice.description : '';
    if (kubeconfig === '') {
      if (clusterBinariesCached()) say('demo: starting the local test cluster…');
      const { startTestCluster } = await import('../dev/cluster/start-test-cluster.ts');
      const cluster = await startTestCluster({ onProgress: (line) => say(`demo: ${line}`) });
      stops.push({ name: 'the test cluster', stop: () => cluster.stop() });
      kubeconfig = cluster.kubeconfigPath;
      clusterNote = `local test cluster with seeded broken workloads in namespaces ${SHOP_NAMESPACE} and ${PAYMENTS_NAMESPACE} (kubeconfig: ${kubeconfig})`;
    }
    if (interrupted) return 0;

    const consoleToken = env.CONSOLE_TOKEN ?? randomBytes(24).toString('hex');
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
      MCP_TOKEN: randomBytes(24).toString('hex'),
      // One process signs and verifies approval grants here, so a fresh key each run is all it needs.
      APPROVAL_SIGNING_KEY: env.APPROVAL_SIGNING_KEY ?? randomBytes(32).toString('hex'),
      CONSOLE_TOKEN: consoleToken,
      CONSOLE_ENABLED: 'true',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    };
    const config = loadConfig({ env: settings, role: 'all' });
    const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config), base: { role: 'all' } });
    const running = await startRole({ role: 'all', config, logger });
    stops.push({ name: 'ai4k8s', stop: () => running.stop() });
    const consoleUrl = `${running.urls.gateway ?? ''}/console`;
    const ai =
      config.ANTHROPIC_API_KEY === undefined
        ? `off: set ANTHROPIC_API_KEY to ask free-form questions. Meanwhile direct mode works, try: pods -n ${SHOP_NAMESPACE}`
        : `on (${config.ANTHROPIC_MODEL}${config.ANTHROPIC_BASE_URL === undefined ? '' : ` at ${config.ANTHROPIC_BASE_URL}`}): ask e.g. "why is checkout crashing in ${SHOP_NAMESPACE}?"`;
    say();
    say('ai4k8s demo is running.');
    say();
    say(`  Web console:  ${consoleUrl}`);
    say(
      `  Login token:  ${consoleToken}   (sign in with any name; the shared token asks and reads, approving needs a console account: docs/console.md)`,
    );
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

/** 'ok', 'timeout', or the error's message. */
async function boundedStop(stop: () => Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([
      stop().then(
        () => 'ok',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
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
