import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import {
  containerOf,
  decoded,
  EVALUATE_VALUES,
  named,
  roleEnv,
  startEvaluationRedis,
  type EvaluationRedis,
} from '../deploy/evaluation-install.ts';
import { renderChart } from '../deploy/render-chart.ts';
import { findHelm } from '../deploy/run-command.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { consoleLogin, consolePost, consoleSignIn, readConsoleEvents } from '../../dev/support/console-session.ts';

const helm = findHelm();
/** The compiled CLI, as the image runs it (`npm run build` first). */
const bin = join(import.meta.dirname, '../../bin/ai4k8s.js');

interface Role {
  child: ChildProcess;
  output: () => string;
}

/** Starts one role as its own process with exactly the environment given (no inherited variables but PATH). */
function startRole(role: string, env: Record<string, string>): Role {
  const child = spawn(process.execPath, [bin, role], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stopRole({ child }: Role): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(role: Role, name: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(role.output())) {
    assert.ok(role.child.exitCode === null, `${name} exited: ${role.output()}`);
    assert.ok(Date.now() < deadline, `${name} did not log ${pattern}: ${role.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The evaluation install as it would run in the cluster: each role gets exactly the environment its pod would
 * (the rendered ConfigMap and its keys of the generated Secret), and Redis runs the rendered command. Only what
 * the pod network provides is replaced: loopback addresses and free ports instead of Service names, and the test
 * cluster's kubeconfig for the MCP server instead of its in-cluster service account.
 */
describe(
  'evaluation install (values-evaluate.yaml) run as rendered: console sign-in with the generated token, a direct-mode answer',
  { skip: helm === undefined ? 'helm not found' : false },
  () => {
    const roles: Role[] = [];
    let redis: EvaluationRedis | undefined;
    let gatewayUrl = '';
    let consoleToken = '';
    let secrets: Record<string, string> = {};

    before(async () => {
      const { manifests } = await renderChart({
        helm: helm ?? 'helm',
        release: 'ai4k8s',
        namespace: 'ai4k8s',
        valuesFiles: [EVALUATE_VALUES],
      });
      secrets = decoded(named(manifests, 'Secret', '-credentials'));
      consoleToken = secrets.CONSOLE_TOKEN ?? '';
      redis = await startEvaluationRedis({
        script: containerOf(named(manifests, 'Deployment', '-redis')).args?.[0] ?? '',
        password: secrets.REDIS_PASSWORD ?? '',
      });
      const [cluster, gatewayPort, workerPort, mcpPort] = await Promise.all([testCluster(), freePort(), freePort(), freePort()]);
      const network = {
        HOST: '127.0.0.1',
        PORT: String(gatewayPort),
        WORKER_PORT: String(workerPort),
        MCP_PORT: String(mcpPort),
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        MCP_URL: `http://127.0.0.1:${mcpPort}/mcp`,
        MCP_ALLOWED_HOSTS: '127.0.0.1',
        // Our own Redis, but the prefix keeps the audit and queues apart from any other run's, as in every test.
        QUEUE_PREFIX: uniqueName('eval'),
      };
      const mcp = startRole('mcp', { ...roleEnv(manifests, 'mcp', secrets), ...network, KUBECONFIG: cluster.kubeconfigPath });
      roles.push(mcp);
      await waitFor(mcp, 'mcp', /listening/);
      const worker = startRole('worker', { ...roleEnv(manifests, 'worker', secrets), ...network });
      const gateway = startRole('gateway', { ...roleEnv(manifests, 'gateway', secrets), ...network });
      roles.push(worker, gateway);
      await Promise.all([waitFor(worker, 'worker', /listening/), waitFor(gateway, 'gateway', /gateway listening/)]);
      gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    });
    after(async () => {
      await Promise.all(roles.map(stopRole));
      await redis?.stop();
    });

    it('signs in to the console with the generated CONSOLE_TOKEN only, and answers `get pods -n shop` from the cluster without an API key', async () => {
      const wrong = await consoleLogin({ gatewayUrl, name: 'evaluator', password: 'not-the-generated-token-0123456789abcdef' });
      assert.equal(wrong.status, 401);
      const cookie = await consoleSignIn({ gatewayUrl, name: 'evaluator', password: consoleToken });

      const conversationId = 'evaluationinstall0conv01';
      const asked = await consolePost({
        gatewayUrl,
        path: '/console/api/ask',
        cookie,
        body: { conversationId, requestId: 'evalreq00001', text: `get pods -n ${SHOP_NAMESPACE}` },
      });
      assert.equal(asked.status, 202, await asked.text());
      const until = new RegExp(CHECKOUT_POD);
      const events = await readConsoleEvents({ gatewayUrl, cookie, conversationId, until, timeoutMs: 30_000 });
      assert.match(events, new RegExp(CHECKOUT_POD), `no answer with the checkout pod: ${events}`);

      // The generated credentials never reach a log line.
      for (const [index, role] of roles.entries()) {
        for (const key of ['MCP_TOKEN', 'CONSOLE_TOKEN', 'CONSOLE_SESSION_SECRET', 'REDIS_PASSWORD']) {
          assert.ok(!role.output().includes(secrets[key] ?? '\u0000'), `role ${index} logged ${key}`);
        }
      }
    });
  },
);
