import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { loadConfig, type Role } from '../../src/config/load-config.ts';
import { configSchema } from '../../src/config/schema.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { CHART_DIR, renderChart, type Manifest } from './render-chart.ts';
import { findHelm, runCommand } from './run-command.ts';
import { containerOf, decoded, EVALUATE_VALUES, named, podOf, roleEnv, startEvaluationRedis } from './evaluation-install.ts';

const helm = findHelm();
const EVALUATE = EVALUATE_VALUES;
const ROLES = ['gateway', 'worker', 'mcp'] as const satisfies Role[];
const READ_VERBS = ['get', 'list', 'watch'];
const GENERATED = ['MCP_TOKEN', 'CONSOLE_TOKEN', 'CONSOLE_SESSION_SECRET', 'REDIS_PASSWORD'];
/** A worker's RSS idle and per answer in flight (bench/burst.ts), as in helm-chart.test.ts. */
const WORKER_IDLE_MIB = 217;
const WORKER_MIB_PER_ANSWER = 0.76;
const SLACK = { 'secrets.generate.slackBotToken': 'xoxb-1-evaluation', 'secrets.generate.slackSigningSecret': 'evaluation-signing-secret' };

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

/** PING without a password, as one RESP line over a plain socket: the server's first reply line. */
async function anonymousPing(port: number): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  try {
    await once(socket, 'connect');
    socket.write('PING\r\n');
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    return chunk.toString('utf8').split('\r\n')[0] ?? '';
  } finally {
    socket.destroy();
  }
}

describe('Helm chart: one-command read-only evaluation install (values-evaluate.yaml)', { skip: helm === undefined ? 'helm not found' : false }, () => {
  const helmPath = helm ?? 'helm';
  const release = uniqueName('e');
  const namespace = uniqueName('eval');
  const render = (values: Record<string, unknown> = {}) => renderChart({ helm: helmPath, release, namespace, valuesFiles: [EVALUATE], values });

  it('passes helm lint with the evaluation values alone, and with Slack and an Anthropic key', async () => {
    const plain = await runCommand(helmPath, ['lint', CHART_DIR, '-f', EVALUATE]);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    const sets = Object.entries({ ...SLACK, 'secrets.generate.anthropicApiKey': 'sk-ant-evaluation' }).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
    const full = await runCommand(helmPath, ['lint', CHART_DIR, '-f', EVALUATE, ...sets]);
    assert.equal(full.code, 0, full.stdout + full.stderr);
  });

  it('grants reading only: one ClusterRole of get/list/watch, no Secrets, no wildcard, no impersonation, no write tools, no policy', async () => {
    const { manifests } = await render();
    assert.deepEqual(byKind(manifests, 'ClusterRole').map((m) => m.metadata.name), [`${namespace}-${release}-ai4k8s-read`]);
    assert.deepEqual(byKind(manifests, 'ClusterRoleBinding').map((m) => m.metadata.name), [`${namespace}-${release}-ai4k8s-read`]);
    assert.equal(byKind(manifests, 'Role').length + byKind(manifests, 'RoleBinding').length, 0);
    const rules = named(manifests, 'ClusterRole', '-read').rules as Rule[];
    for (const rule of rules) {
      const what = `${(rule.apiGroups ?? []).join(',')}/${(rule.resources ?? []).join(',')}`;
      assert.deepEqual(rule.verbs.filter((verb) => !READ_VERBS.includes(verb)), [], `${what}: verbs beyond reading`);
      assert.ok(!(rule.resources ?? []).includes('secrets'), `${what}: Secrets`);
      assert.ok(!(rule.resources ?? []).some((resource) => resource.includes('*')) && !(rule.apiGroups ?? []).includes('*'), `${what}: a wildcard`);
      assert.ok(!(rule.resources ?? []).some((resource) => /\/(exec|attach|portforward|proxy)$/.test(resource)), `${what}: a way into pods`);
    }
    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    assert.equal(env.MCP_ENABLE_WRITE_TOOLS, 'false');
    assert.equal(env.AI4K8S_POLICY, undefined, 'no policy file: nobody is impersonated');
    assert.equal(manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-policy')), false);
    // Only the MCP server holds an API token, and it is the read role's subject.
    for (const role of [...ROLES, 'redis']) {
      assert.equal(podOf(named(manifests, 'Deployment', `-${role}`)).spec.automountServiceAccountToken, role === 'mcp', `${role}: API token`);
    }
  });

  it('generates random credentials and runs a password-protected Redis of its own; every role starts with what it is given (direct mode, console on)', async () => {
    const { manifests } = await render();
    const secretName = `${release}-ai4k8s-credentials`;
    const secret = named(manifests, 'Secret', '-credentials');
    assert.equal(secret.metadata.name, secretName);
    const data = decoded(secret);
    assert.deepEqual(Object.keys(data).sort(), [...GENERATED].sort(), 'no Slack or Anthropic key unless given');
    for (const key of GENERATED) assert.match(data[key] ?? '', /^[A-Za-z0-9]{48}$/, key);
    assert.equal(new Set(Object.values(data)).size, GENERATED.length, 'each credential is its own');
    const again = decoded(named((await render()).manifests, 'Secret', '-credentials'));
    for (const key of GENERATED) assert.notEqual(again[key], data[key], `${key} is random, not fixed in the chart`);

    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    assert.equal(env.REDIS_URL, `redis://${release}-ai4k8s-redis:6379`, 'the chart\'s Redis, without credentials in the URL');
    assert.equal(env.CONSOLE_ENABLED, 'true');
    for (const role of ROLES) {
      const refs = (containerOf(named(manifests, 'Deployment', `-${role}`)).env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef === undefined ? [] : [e.valueFrom.secretKeyRef]));
      assert.ok(refs.length > 0 && refs.every((ref) => ref.name === secretName), `${role}: reads the generated Secret`);
      assert.ok(refs.some((ref) => ref.key === 'REDIS_PASSWORD'), `${role}: the Redis password`);
      const config = loadConfig({ env: roleEnv(manifests, role, data), role });
      assert.equal(config.REDIS_PASSWORD, data.REDIS_PASSWORD, role);
      assert.equal(config.MCP_ENABLE_WRITE_TOOLS, false, role);
      if (role === 'worker') assert.equal(config.ANTHROPIC_API_KEY, undefined, 'no API key: direct mode');
      if (role === 'gateway') {
        assert.equal(config.CONSOLE_ENABLED, true);
        assert.equal(config.CONSOLE_TOKEN, data.CONSOLE_TOKEN, 'the console signs in with the generated token');
      }
      assert.equal((named(manifests, 'Deployment', `-${role}`).spec as { replicas?: number }).replicas, 1, `${role}: one replica`);
    }
    assert.equal(byKind(manifests, 'HorizontalPodAutoscaler').length + byKind(manifests, 'PodDisruptionBudget').length, 0, 'one replica each: no HPA, no PDB');

    // The worker is sized for its WORKER_CONCURRENCY, as in production (helm-chart.test.ts).
    const concurrency = configSchema.shape.WORKER_CONCURRENCY.parse(env.WORKER_CONCURRENCY);
    const busy = WORKER_IDLE_MIB + concurrency * WORKER_MIB_PER_ANSWER;
    const mib = (quantity: string | undefined) => Number(/^(\d+)Mi$/.exec(quantity ?? '')?.[1] ?? Number.NaN);
    const resources = containerOf(named(manifests, 'Deployment', '-worker')).resources;
    assert.ok(mib(resources?.requests?.memory) >= busy, `worker request ${resources?.requests?.memory} below ~${Math.round(busy)} MiB`);
    assert.ok(mib(resources?.limits?.memory) >= 1.25 * busy, `worker limit ${resources?.limits?.memory}`);

    const redis = containerOf(named(manifests, 'Deployment', '-redis'));
    assert.deepEqual(redis.env?.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]), [['REDIS_PASSWORD', secretName, 'REDIS_PASSWORD']]);
    const service = named(manifests, 'Service', '-redis').spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    for (const [key, value] of Object.entries(service.selector)) assert.equal(podOf(named(manifests, 'Deployment', '-redis')).metadata.labels[key], value, `Redis Service selector ${key}`);
    assert.equal(service.ports[0]?.port, 6379);
    assert.equal(redis.ports?.find((p) => p.name === service.ports[0]?.targetPort)?.containerPort, 6379);
    // Only our roles (and Redis itself) may reach it.
    const policy = named(manifests, 'NetworkPolicy', '-redis').spec as { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] };
    assert.deepEqual(policy.podSelector.matchLabels, service.selector);
    assert.deepEqual(policy.ingress.flatMap((rule) => rule.from.map((peer) => peer.podSelector.matchLabels['app.kubernetes.io/component'])), ['gateway', 'worker', 'mcp', 'redis']);
  });

  it('serves the web console through the gateway Service (port-forward svc/<release>-ai4k8s-gateway 3000:80)', async () => {
    const { manifests } = await render();
    const gateway = named(manifests, 'Deployment', '-gateway');
    const service = named(manifests, 'Service', '-gateway');
    assert.equal(service.metadata.name, `${release}-ai4k8s-gateway`);
    const spec = service.spec as { type: string; selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    assert.equal(spec.type, 'ClusterIP');
    assert.equal(spec.ports[0]?.port, 80);
    const labels = podOf(gateway).metadata.labels;
    for (const [key, value] of Object.entries(spec.selector)) assert.equal(labels[key], value, `selector ${key} does not match the gateway pods`);
    for (const role of ['worker', 'mcp', 'redis']) assert.notEqual(podOf(named(manifests, 'Deployment', `-${role}`)).metadata.labels['app.kubernetes.io/component'], spec.selector['app.kubernetes.io/component']);
    const port = containerOf(gateway).ports?.find((p) => p.name === spec.ports[0]?.targetPort)?.containerPort;
    assert.equal(String(port), (named(manifests, 'ConfigMap', '-env').data as Record<string, string>).PORT, 'the Service reaches the port the gateway listens on');
    const ingress = (named(manifests, 'NetworkPolicy', '-gateway').spec as { ingress: { from?: unknown; ports: { port: number }[] }[] }).ingress;
    assert.deepEqual(ingress[0]?.ports.map((p) => p.port), [port]);
  });

  it('puts Slack and an Anthropic key into the generated Secret, and refuses half a Slack app and contradictory values, naming what is missing', async () => {
    const { manifests } = await render({ ...SLACK, 'secrets.generate.anthropicApiKey': 'sk-ant-evaluation' });
    const data = decoded(named(manifests, 'Secret', '-credentials'));
    assert.equal(data.SLACK_BOT_TOKEN, 'xoxb-1-evaluation');
    assert.equal(data.SLACK_SIGNING_SECRET, 'evaluation-signing-secret');
    assert.equal(data.ANTHROPIC_API_KEY, 'sk-ant-evaluation');
    for (const role of ROLES) assert.doesNotThrow(() => loadConfig({ env: roleEnv(manifests, role, data), role }), role);
    assert.equal(loadConfig({ env: roleEnv(manifests, 'worker', data), role: 'worker' }).ANTHROPIC_API_KEY, 'sk-ant-evaluation');

    await assert.rejects(render({ 'secrets.generate.slackBotToken': 'xoxb-1' }), /secrets\.generate\.slackSigningSecret is required with secrets\.generate\.slackBotToken/);
    await assert.rejects(render({ 'secrets.generate.slackSigningSecret': 's' }), /secrets\.generate\.slackBotToken is required with secrets\.generate\.slackSigningSecret/);
    await assert.rejects(render({ 'secrets.generate.slackBotToken': 'not-a-bot-token', 'secrets.generate.slackSigningSecret': 's' }), /slackBotToken.*(pattern|does not match)/);
    await assert.rejects(render({ 'secrets.generate.enabled': false }), /secrets\.existingSecret is required/);
    await assert.rejects(render({ 'secrets.existingSecret': 'mine' }), /secrets\.generate\.enabled and secrets\.existingSecret: choose one/);
    await assert.rejects(render({ 'secrets.consoleUsers': true }), /secrets\.consoleUsers needs secrets\.existingSecret/);
    await assert.rejects(render({ 'redis.url': 'redis://redis:6379' }), /redis\.evaluation\.enabled runs the chart's own Redis: set redis\.url to ""/);
  });

  it("runs the evaluation Redis's command with the real redis-server: no client without the password, the password off the command line", async () => {
    const { manifests } = await render();
    const password = 'evaluation0redis0password0123456789';
    const redis = await startEvaluationRedis({ script: containerOf(named(manifests, 'Deployment', '-redis')).args?.[0] ?? '', password });
    const { port } = redis;
    const clients: Redis[] = [];
    const client = () => {
      const connection = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      clients.push(connection);
      return connection;
    };
    try {
      assert.match(await anonymousPing(port), /^-NOAUTH /);
      const authorised = client();
      await authorised.connect();
      assert.equal(await authorised.ping(), 'PONG');
      assert.deepEqual(await authorised.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
      assert.deepEqual(await authorised.config('GET', 'appendonly'), ['appendonly', 'no']);
      // sh exec'd redis-server: the child is redis itself, and its command line never held the password.
      const commandLine = readFileSync(`/proc/${redis.pid}/cmdline`, 'utf8');
      assert.match(commandLine, /redis-server/);
      assert.ok(!commandLine.includes(password), 'the password is on the command line');
      assert.equal(statSync(join(redis.dir, 'redis.conf')).mode & 0o077, 0, 'the config file holding the password is private');
    } finally {
      for (const connection of clients) connection.disconnect();
      await redis.stop();
    }
  });

  describe('against the real test cluster', () => {
    let kubeconfig = '';
    const kubectl = (args: string[], input?: string) => runCommand('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--context', 'admin', ...args], { input });
    const helmOn = (args: string[]) => runCommand(helmPath, [...args, '--kubeconfig', kubeconfig, '--kube-context', 'admin'], { timeoutMs: 120_000 });
    const sa = `system:serviceaccount:${namespace}:${release}-ai4k8s-mcp`;
    const canI = async (...args: string[]) =>
      (await kubectl(['auth', 'can-i', ...args, `--as=${sa}`, '--as-group=system:serviceaccounts', `--as-group=system:serviceaccounts:${namespace}`])).stdout.trim();
    const secretData = async () => {
      const run = await kubectl(['get', 'secret', `${release}-ai4k8s-credentials`, '-n', namespace, '-o', 'json']);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { data: Record<string, string> }).data;
    };

    before(async () => {
      kubeconfig = (await testCluster()).kubeconfigPath;
    });
    after(async () => {
      await helmOn(['uninstall', release, '-n', namespace]);
      await kubectl(['delete', 'clusterrolebinding,clusterrole', '-l', `app.kubernetes.io/instance=${release}`, '--wait=false']);
      await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    });

    it('accepts every rendered manifest in a server-side dry run (console only, and with Slack and an API key)', async () => {
      const created = await kubectl(['create', 'namespace', `${namespace}-dry`]);
      assert.equal(created.code, 0, created.stderr);
      try {
        for (const values of [{}, { ...SLACK, 'secrets.generate.anthropicApiKey': 'sk-ant-evaluation' }]) {
          const { text, manifests } = await renderChart({ helm: helmPath, release, namespace: `${namespace}-dry`, valuesFiles: [EVALUATE], values });
          const run = await kubectl(['apply', '--dry-run=server', '--namespace', `${namespace}-dry`, '-f', '-'], text);
          assert.equal(run.code, 0, run.stderr);
          const applied = run.stdout.trim().split('\n');
          assert.equal(applied.length, manifests.length, run.stdout);
          assert.ok(applied.every((line) => /\(server dry run\)$/.test(line)), run.stdout);
        }
      } finally {
        await kubectl(['delete', 'namespace', `${namespace}-dry`, '--wait=false']);
      }
    });

    it('installs with the documented command, keeps its credentials on upgrade, reads pods but never Secrets, deletes nothing, impersonates no one; uninstall removes it', async () => {
      const install = await helmOn(['install', release, CHART_DIR, '-n', namespace, '--create-namespace', '-f', EVALUATE]);
      assert.equal(install.code, 0, install.stderr);
      // NOTES tell the user how to reach the console and sign in.
      assert.ok(install.stdout.includes(`kubectl -n ${namespace} port-forward svc/${release}-ai4k8s-gateway 3000:80`), install.stdout);
      assert.ok(install.stdout.includes(`kubectl -n ${namespace} get secret ${release}-ai4k8s-credentials -o jsonpath='{.data.CONSOLE_TOKEN}' | base64 -d`), install.stdout);
      assert.match(install.stdout, /not for production/);

      const first = await secretData();
      assert.deepEqual(Object.keys(first).sort(), [...GENERATED].sort());
      const upgrade = await helmOn(['upgrade', release, CHART_DIR, '-n', namespace, '-f', EVALUATE, '--set', 'config.CLUSTER_NAME=staging']);
      assert.equal(upgrade.code, 0, upgrade.stderr);
      assert.deepEqual(await secretData(), first, 'an upgrade must not rotate the tokens under running pods');

      assert.equal(await canI('list', 'pods', '--all-namespaces'), 'yes');
      assert.equal(await canI('get', 'pods', '--subresource=log', '-n', 'default'), 'yes');
      assert.equal(await canI('list', 'deployments.apps', '-n', 'default'), 'yes');
      for (const verb of ['get', 'list', 'watch']) assert.equal(await canI(verb, 'secrets', '-n', namespace), 'no', `${verb} secrets`);
      assert.equal(await canI('get', `secrets/${release}-ai4k8s-credentials`, '-n', namespace), 'no', 'not even its own credentials');
      for (const [verb, resource] of [
        ['delete', 'pods'],
        ['create', 'pods'],
        ['delete', 'deployments.apps'],
        ['patch', 'deployments.apps'],
        ['patch', 'nodes'],
        ['update', 'configmaps'],
      ] as const) {
        assert.equal(await canI(verb, resource, '-n', 'default'), 'no', `${verb} ${resource}`);
      }
      assert.equal(await canI('patch', 'deployments.apps', '--subresource=scale', '-n', 'default'), 'no');
      assert.equal(await canI('create', 'pods', '--subresource=exec', '-n', 'default'), 'no');
      assert.equal(await canI('create', 'pods', '--subresource=eviction', '-n', 'default'), 'no');
      assert.equal(await canI('impersonate', 'users/alice@example.com'), 'no');
      assert.equal(await canI('impersonate', 'groups/system:masters'), 'no');

      const uninstall = await helmOn(['uninstall', release, '-n', namespace]);
      assert.equal(uninstall.code, 0, uninstall.stderr);
      const left = await kubectl(['get', 'clusterrole,clusterrolebinding,deployment,service,secret,configmap', '-A', '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name']);
      assert.equal(left.code, 0, left.stderr);
      assert.equal(left.stdout.trim(), '', 'uninstall leaves nothing behind');
    });
  });
});
