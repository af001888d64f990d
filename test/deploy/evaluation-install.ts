import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/support/free-port.ts';
import { CHART_DIR, type Manifest } from './render-chart.ts';

/** The values file of the one-command evaluation install. */
export const EVALUATE_VALUES = join(CHART_DIR, 'values-evaluate.yaml');

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
export interface Container {
  args?: string[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
export interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; automountServiceAccountToken?: boolean };
}

export const named = (manifests: Manifest[], kind: string, suffix: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name.endsWith(suffix));
  assert.ok(found !== undefined, `no ${kind} named *${suffix}`);
  return found;
};
export const podOf = (deployment: Manifest): PodTemplate => (deployment.spec as { template: PodTemplate }).template;
export const containerOf = (deployment: Manifest): Container => {
  const container = podOf(deployment).spec.containers[0];
  assert.ok(container !== undefined, `${deployment.metadata.name}: no container`);
  return container;
};
/** A rendered Secret's data, base64-decoded. */
export const decoded = (secret: Manifest): Record<string, string> =>
  Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

/** What a role's pod would see in its environment: the ConfigMap plus the Secret keys its container references. */
export function roleEnv(manifests: Manifest[], role: string, secretData: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...(named(manifests, 'ConfigMap', '-env').data as Record<string, string>) };
  for (const variable of containerOf(named(manifests, 'Deployment', `-${role}`)).env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref !== undefined && secretData[ref.key] !== undefined) env[variable.name] = secretData[ref.key] ?? '';
    if (variable.value !== undefined) env[variable.name] = variable.value;
  }
  return env;
}

export interface EvaluationRedis {
  port: number;
  /** The redis-server process (sh exec's it). */
  pid: number;
  /** Where its config file (with the password) is written. */
  dir: string;
  stop: () => Promise<void>;
}

/**
 * Runs the evaluation Redis's rendered container command here with the real redis-server. Only what differs
 * between a pod and this shared machine is replaced: /tmp and /data (emptyDirs in the pod) by a temporary
 * directory, and the port by a free loopback one.
 */
export async function startEvaluationRedis({ script, password }: { script: string; password: string }): Promise<EvaluationRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-eval-redis-'));
  const port = await freePort();
  let local = script;
  for (const [from, to] of [
    ['/tmp/redis.conf', join(dir, 'redis.conf')],
    ['--dir /data', `--dir ${dir}`],
    ['--port 6379', `--port ${port} --bind 127.0.0.1`],
  ] as const) {
    assert.ok(local.includes(from), `the Redis command no longer has ${from}: ${script}`);
    local = local.replaceAll(from, to);
  }
  const server = spawn('sh', ['-c', local], { env: { PATH: process.env.PATH, REDIS_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!output.includes('Ready to accept connections')) {
    if (server.exitCode !== null || Date.now() - started > 10_000) {
      await stop();
      assert.fail(`redis-server did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(server.pid !== undefined);
  return { port, pid: server.pid, dir, stop };
}
