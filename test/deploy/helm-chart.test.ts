import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig, type Role } from '../../src/config/load-config.ts';
import { configKeys, configSchema, secretKeys, secretStoredKeys } from '../../src/config/schema.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { CHART_DIR, renderChart, type Manifest } from './render-chart.ts';
import { findHelm, runCommand } from './run-command.ts';

const helm = findHelm();
const SECRET = 'ai4k8s-credentials';
const ROLES = ['gateway', 'worker', 'mcp'] as const satisfies Role[];
/** RSS of a compiled worker with its MCP session open and no job running, and what each answer in flight adds (bench/burst.ts). */
const WORKER_IDLE_MIB = 217;
const WORKER_MIB_PER_ANSWER = 0.76;
/** Every switch on: what the "all features" dry run and RBAC checks render. */
const ALL_ON = {
  'secrets.existingSecret': SECRET,
  'rbac.write.enabled': true,
  'rbac.impersonation.enabled': true,
  'rbac.impersonation.users': ['alice@example.com'],
  'rbac.impersonation.groups': ['sre'],
  'serviceMonitor.enabled': true,
  'serviceMonitor.labels': { release: 'kube-prometheus-stack' },
  'networkPolicy.metricsFrom': [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
  policy: 'identities:\n  unmapped: refuse\n  users:\n    "slack:T1:U1":\n      user: alice@example.com\n      groups: [sre]\n',
  'config.MCP_ENABLE_WRITE_TOOLS': 'true',
  'secrets.consoleUsers': true,
};

interface Container {
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
}
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, suffix: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name.endsWith(suffix));
  assert.ok(found !== undefined, `no ${kind} named *${suffix}`);
  return found;
};
const podSpec = (deployment: Manifest) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

describe('Helm chart secret keys', () => {
  it('ai4k8s.allSecretKeys (refused in .Values.config) is exactly the settings the schema marks credential()', () => {
    const helpers = readFileSync(join(CHART_DIR, 'templates/_helpers.tpl'), 'utf8');
    const list = /define "ai4k8s\.allSecretKeys" -}}\s*{{- toJson \(list ((?:"[A-Z0-9_]+"\s*)+)\)/.exec(helpers);
    assert.ok(list?.[1] !== undefined, 'ai4k8s.allSecretKeys is a toJson (list "..." ...) in _helpers.tpl');
    const chartKeys = [...list[1].matchAll(/"([A-Z0-9_]+)"/g)].map((match) => match[1]);
    assert.deepEqual([...chartKeys].sort(), [...secretStoredKeys].sort());
  });
});

describe('Helm chart deploy/helm/ai4k8s', { skip: helm === undefined ? 'helm not found' : false }, () => {
  const helmPath = helm ?? 'helm';
  const release = uniqueName('h');
  const namespace = uniqueName('helm');

  it('passes helm lint (defaults plus the required Secret name, and with every switch on)', async () => {
    const plain = await runCommand(helmPath, ['lint', CHART_DIR, '--set', `secrets.existingSecret=${SECRET}`]);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    const sets = Object.entries(ALL_ON).flatMap(([key, value]) => ['--set-json', `${key}=${JSON.stringify(value)}`]);
    const all = await runCommand(helmPath, ['lint', CHART_DIR, ...sets]);
    assert.equal(all.code, 0, all.stdout + all.stderr);
  });

  it('refuses to render without a Secret name, with a credential in values, with impersonation of anyone, or a misspelt value', async () => {
    await assert.rejects(renderChart({ helm: helmPath, release, namespace }), /secrets\.existingSecret is required/);
    await assert.rejects(
      renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, 'config.ANTHROPIC_API_KEY': 'sk-ant-inline' } }),
      /config\.ANTHROPIC_API_KEY is a credential/,
    );
    await assert.rejects(
      renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, 'rbac.impersonation.enabled': true } }),
      /impersonating anyone/,
    );
    // values.schema.json: a misspelt switch must not silently leave the default in place.
    await assert.rejects(
      renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, 'rbac.wirte.enabled': true } }),
      /additional properties 'wirte' not allowed/,
    );
  });

  it('renders three role deployments from one image, with probes, resources and a locked-down security context', async () => {
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET } });
    assert.equal(byKind(manifests, 'Secret').length, 0, 'the chart must never carry secret values');
    const deployments = byKind(manifests, 'Deployment');
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ROLES.map((r) => `${release}-ai4k8s-${r}`).sort());
    const images = new Set<string>();
    for (const role of ROLES) {
      const deployment = named(manifests, 'Deployment', `-${role}`);
      const pod = podSpec(deployment);
      const [container] = pod.containers;
      assert.ok(container !== undefined);
      images.add(String((container as { image?: string }).image));
      assert.deepEqual(container.args, [role]);
      assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
      assert.ok(container.resources?.requests?.cpu !== undefined && container.resources.requests.memory !== undefined, `${role}: requests`);
      assert.ok(container.resources.limits?.memory !== undefined, `${role}: memory limit`);
      assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      assert.equal(pod.securityContext?.runAsNonRoot, true);
      assert.deepEqual(pod.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
      assert.equal(pod.automountServiceAccountToken, role === 'mcp', `${role}: only the MCP server gets an API token`);
      // Credentials only by reference to the named Secret, never as literal values.
      for (const env of container.env ?? []) {
        if ((secretKeys as readonly string[]).includes(env.name) || env.name === 'REDIS_URL') {
          assert.equal(env.value, undefined, `${role}: ${env.name} is inline`);
          assert.equal(env.valueFrom?.secretKeyRef?.name, SECRET);
        }
      }
    }
    assert.equal(images.size, 1, 'one image for every role');
    assert.equal((named(manifests, 'Deployment', '-worker').spec as { replicas?: number }).replicas, undefined, 'the HPA owns the worker replicas');
    const hpa = named(manifests, 'HorizontalPodAutoscaler', '-worker');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.equal((hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name, `${release}-ai4k8s-worker`);
    assert.equal(byKind(manifests, 'PodDisruptionBudget').length, 3);
    assert.equal(byKind(manifests, 'Service').length, 3);
    assert.equal(byKind(manifests, 'ServiceMonitor').length, 0, 'ServiceMonitor is opt-in');
  });

  it('sizes the worker for WORKER_CONCURRENCY answers waiting on the model, with headroom', async () => {
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET } });
    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    const concurrency = configSchema.shape.WORKER_CONCURRENCY.parse(env.WORKER_CONCURRENCY);
    const resources = podSpec(named(manifests, 'Deployment', '-worker')).containers[0]?.resources;
    const mib = (quantity: string | undefined) => {
      const match = /^(\d+)(Mi|Gi)$/.exec(quantity ?? '');
      assert.ok(match !== null, `memory ${quantity}: expected Mi or Gi`);
      return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
    };
    // A worker with every job in flight (docs/deploy.md, measured by bench/burst.ts), and 25% for the heap's slack.
    const busy = WORKER_IDLE_MIB + concurrency * WORKER_MIB_PER_ANSWER;
    assert.ok(mib(resources?.limits?.memory) >= 1.25 * busy, `limit ${resources?.limits?.memory} for ${concurrency} answers in flight (~${Math.round(busy)} MiB)`);
    assert.ok(mib(resources?.requests?.memory) >= busy, `request ${resources?.requests?.memory} below a busy worker (~${Math.round(busy)} MiB)`);
  });

  it('hands every credential of the schema to some role through the Secret, and only schema keys through the ConfigMap', async () => {
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, 'redis.url': '' } });
    const referenced = new Set(byKind(manifests, 'Deployment').flatMap((d) => podSpec(d).containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.key))));
    for (const key of secretKeys) assert.ok(referenced.has(key), `${key} is not read from the Secret by any role`);
    assert.ok(referenced.has('REDIS_URL'), 'with redis.url empty, REDIS_URL comes from the Secret');
    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    for (const key of Object.keys(env)) assert.ok((configKeys as string[]).includes(key), `ConfigMap key ${key} is not a setting`);
    for (const key of secretKeys) assert.equal(env[key], undefined, `${key} in the ConfigMap`);
    // What each role would see (ConfigMap + its Secret keys) is a configuration our schema accepts.
    const secrets: Record<string, string> = { MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ANTHROPIC_API_KEY: 'k', REDIS_URL: 'redis://:pw@redis:6379' };
    for (const role of ROLES) {
      const container = podSpec(named(manifests, 'Deployment', `-${role}`)).containers[0];
      const given = Object.fromEntries((container?.env ?? []).flatMap((e) => (secrets[e.name] === undefined ? [] : [[e.name, secrets[e.name] ?? '']])));
      assert.doesNotThrow(() => loadConfig({ env: { ...env, ...given }, role }), role);
    }
  });

  it('gives APPROVAL_SIGNING_KEY to the gateway and the MCP server only, MCP_READ_TOKENS to the MCP server only; with write tools each role starts', async () => {
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: ALL_ON });
    const secretEnv = (role: string) => (podSpec(named(manifests, 'Deployment', `-${role}`)).containers[0]?.env ?? []).filter((e) => e.valueFrom?.secretKeyRef !== undefined).map((e) => e.name);
    assert.ok(secretEnv('gateway').includes('APPROVAL_SIGNING_KEY'));
    assert.ok(secretEnv('mcp').includes('APPROVAL_SIGNING_KEY'));
    assert.ok(!secretEnv('worker').includes('APPROVAL_SIGNING_KEY'), 'the worker could sign its own approvals');
    assert.deepEqual(ROLES.filter((role) => secretEnv(role).includes('MCP_READ_TOKENS')), ['mcp']);
    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    const secrets: Record<string, string> = { MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789', APPROVAL_SIGNING_KEY: 'approval-signing-key-0123456789abcdef' };
    // loadConfig reads and validates the policy file too: give it the one the chart mounts at AI4K8S_POLICY.
    const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-chart-policy-')), 'policy.yaml');
    writeFileSync(policy, String((named(manifests, 'ConfigMap', '-policy').data as Record<string, string>)['policy.yaml']));
    assert.equal(env.AI4K8S_POLICY, '/etc/ai4k8s/policy.yaml');
    for (const role of ROLES) {
      const given = Object.fromEntries(secretEnv(role).flatMap((name) => (secrets[name] === undefined ? [] : [[name, secrets[name] ?? '']])));
      const config = loadConfig({ env: { ...env, ...given, REDIS_URL: 'redis://redis:6379', AI4K8S_POLICY: policy }, role });
      assert.equal(config.policy?.identities?.users['slack:T1:U1']?.user, 'alice@example.com', role);
    }
  });

  it('mounts the web console accounts from the Secret into the gateway only, when asked', async () => {
    const plain = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET } });
    const envOf = (manifests: Manifest[], role: string) => (podSpec(named(manifests, 'Deployment', `-${role}`)).containers[0]?.env ?? []).map((e) => e.name);
    assert.ok(!envOf(plain.manifests, 'gateway').includes('CONSOLE_USERS_FILE'));
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, 'secrets.consoleUsers': true } });
    const gateway = podSpec(named(manifests, 'Deployment', '-gateway')) as PodSpec & { volumes: { name: string; secret?: { secretName: string; items: { key: string; path: string }[] } }[] };
    const env = gateway.containers[0]?.env ?? [];
    assert.equal(env.find((e) => e.name === 'CONSOLE_USERS_FILE')?.value, '/etc/ai4k8s-console/users');
    assert.ok(env.some((e) => e.name === 'CONSOLE_SESSION_SECRET' && e.valueFrom?.secretKeyRef?.name === SECRET), 'every gateway replica signs sessions with the same key');
    assert.deepEqual(gateway.volumes.find((v) => v.name === 'console-users')?.secret, { secretName: SECRET, items: [{ key: 'CONSOLE_USERS', path: 'users' }] });
    for (const role of ['worker', 'mcp']) assert.ok(!envOf(manifests, role).includes('CONSOLE_USERS_FILE'), role);
  });

  it('grants read-only cluster access without Secrets or wildcards by default; write and impersonation only when asked', async () => {
    const plain = await renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET } });
    const clusterRoles = byKind(plain.manifests, 'ClusterRole');
    assert.deepEqual(clusterRoles.map((r) => r.metadata.name), [`${namespace}-${release}-ai4k8s-read`]);
    const rules = (clusterRoles[0]?.rules ?? []) as Rule[];
    for (const rule of rules) {
      assert.ok(!rule.resources?.includes('secrets'), 'Secrets are readable');
      for (const list of [rule.apiGroups ?? [], rule.resources ?? [], rule.verbs]) assert.ok(!list.includes('*'), `wildcard in ${JSON.stringify(rule)}`);
      assert.ok(rule.verbs.every((verb) => ['get', 'list', 'watch'].includes(verb)), `write verb in the read role: ${JSON.stringify(rule)}`);
    }
    const all = await renderChart({ helm: helmPath, release, namespace, values: ALL_ON });
    const write = named(all.manifests, 'ClusterRole', '-write').rules as Rule[];
    assert.ok(write.some((r) => r.apiGroups?.includes('apps') && r.resources?.includes('deployments/scale') && r.verbs.includes('patch')));
    assert.ok(write.every((r) => !r.resources?.includes('secrets') && !r.verbs.includes('*')));
    const impersonate = named(all.manifests, 'ClusterRole', '-impersonate').rules as Rule[];
    assert.deepEqual(impersonate.map((r) => [r.resources, r.resourceNames]), [[['users'], ['alice@example.com']], [['groups'], ['sre']]]);
    assert.equal(byKind(all.manifests, 'ServiceMonitor').length, 1);
  });

  it('lets only the worker (and the named scrapers) reach the MCP server; the gateway is open on its port only', async () => {
    const { manifests } = await renderChart({ helm: helmPath, release, namespace, values: ALL_ON });
    const mcp = named(manifests, 'NetworkPolicy', '-mcp').spec as { ingress: { from: Record<string, unknown>[]; ports: { port: number }[] }[] };
    const workerPeer = mcp.ingress[0]?.from[0] as { podSelector?: { matchLabels: Record<string, string> } };
    assert.equal(workerPeer.podSelector?.matchLabels['app.kubernetes.io/component'], 'worker');
    assert.equal(mcp.ingress.length, 2, 'worker, then the metricsFrom scrapers');
    assert.deepEqual(mcp.ingress.map((rule) => rule.ports.map((p) => p.port)), [[3001], [3001]]);
    const gateway = named(manifests, 'NetworkPolicy', '-gateway').spec as { ingress: { from?: unknown; ports: { port: number }[] }[] };
    assert.equal(gateway.ingress[0]?.from, undefined, 'from anywhere');
    assert.deepEqual(gateway.ingress[0]?.ports.map((p) => p.port), [3000]);
    const worker = named(manifests, 'NetworkPolicy', '-worker').spec as { egress: { to?: { podSelector?: { matchLabels: Record<string, string> } }[] }[] };
    assert.ok(worker.egress.some((rule) => rule.to?.[0]?.podSelector?.matchLabels['app.kubernetes.io/component'] === 'mcp'));
  });

  it('documents every value in the README table', () => {
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/`([a-zA-Z][\w.]*)`/g)].map((m) => m[1]));
    // Maps whose keys are the user's (resources, labels, env) are documented as one entry.
    const opaque = /^(config|podSecurityContext|securityContext|probes\.\w+|\w+\.(resources|pdb|nodeSelector|tolerations|affinity|podAnnotations)|redis\.evaluation\.resources|serviceAccount\.annotations|serviceMonitor\.labels)$/;
    const leaves = (node: unknown, path: string): string[] =>
      node !== null && typeof node === 'object' && !Array.isArray(node) && !opaque.test(path) && Object.keys(node).length > 0
        ? Object.entries(node).flatMap(([key, child]) => leaves(child, path === '' ? key : `${path}.${key}`))
        : [path];
    const missing = leaves(values, '').filter((key) => !documented.has(key));
    assert.deepEqual(missing, [], 'values missing from the README table');
  });

  describe('against the real test cluster', () => {
    let kubeconfig = '';
    const kubectl = (args: string[], input?: string) => runCommand('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--context', 'admin', ...args], { input });
    const sa = `system:serviceaccount:${namespace}:${release}-ai4k8s-mcp`;
    const canI = async (...args: string[]) => {
      const run = await kubectl(['auth', 'can-i', ...args, `--as=${sa}`, '--as-group=system:serviceaccounts', `--as-group=system:serviceaccounts:${namespace}`]);
      return run.stdout.trim();
    };

    before(async () => {
      kubeconfig = (await testCluster()).kubeconfigPath;
      const created = await kubectl(['create', 'namespace', namespace]);
      assert.equal(created.code, 0, created.stderr);
      await ensureServiceMonitorCrd(kubectl);
    });
    after(async () => {
      await kubectl(['delete', 'clusterrolebinding,clusterrole', '-l', `app.kubernetes.io/instance=${release}`, '--wait=false']);
      await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    });

    it('accepts every rendered manifest in a server-side dry run (defaults, and every switch on)', async () => {
      for (const values of [{ 'secrets.existingSecret': SECRET }, ALL_ON]) {
        const { text, manifests } = await renderChart({ helm: helmPath, release, namespace, values });
        const run = await kubectl(['apply', '--dry-run=server', '--namespace', namespace, '-f', '-'], text);
        assert.equal(run.code, 0, run.stderr);
        const applied = run.stdout.trim().split('\n');
        assert.equal(applied.length, manifests.length, run.stdout);
        assert.ok(applied.every((line) => /\(server dry run\)$/.test(line)), run.stdout);
      }
    });

    it("the MCP server's service account can list pods, cannot read Secrets or delete anything; the write role adds scale", async () => {
      const rbacOf = async (values: Record<string, unknown>) =>
        (await renderChart({ helm: helmPath, release, namespace, values })).manifests
          .filter((m) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind))
          .map((m) => stringify(m))
          .join('---\n');
      const applied = await kubectl(['apply', '--namespace', namespace, '-f', '-'], await rbacOf({ 'secrets.existingSecret': SECRET }));
      assert.equal(applied.code, 0, applied.stderr);

      assert.equal(await canI('list', 'pods', '--all-namespaces'), 'yes');
      assert.equal(await canI('get', 'pods', '--subresource=log', '-n', 'default'), 'yes');
      assert.equal(await canI('list', 'deployments.apps', '-n', 'default'), 'yes');
      for (const verb of ['get', 'list', 'watch']) assert.equal(await canI(verb, 'secrets', '-n', 'default'), 'no', `${verb} secrets`);
      for (const resource of ['pods', 'deployments.apps', 'namespaces', 'nodes', 'configmaps', 'secrets']) {
        assert.equal(await canI('delete', resource, '-n', 'default'), 'no', `delete ${resource}`);
      }
      assert.equal(await canI('patch', 'deployments.apps', '--subresource=scale', '-n', 'default'), 'no');
      assert.equal(await canI('impersonate', 'users/alice@example.com'), 'no');

      const withWrite = await kubectl(['apply', '--namespace', namespace, '-f', '-'], await rbacOf(ALL_ON));
      assert.equal(withWrite.code, 0, withWrite.stderr);
      assert.equal(await canI('patch', 'deployments.apps', '--subresource=scale', '-n', 'default'), 'yes');
      assert.equal(await canI('delete', 'pods', '-n', 'default'), 'yes');
      assert.equal(await canI('create', 'pods', '--subresource=eviction', '-n', 'default'), 'yes');
      assert.equal(await canI('get', 'secrets', '-n', 'default'), 'no', 'the write role must not open Secrets');
      assert.equal(await canI('delete', 'deployments.apps', '-n', 'default'), 'no');
      assert.equal(await canI('impersonate', 'users/alice@example.com'), 'yes');
      assert.equal(await canI('impersonate', 'users/mallory@example.com'), 'no');
      assert.equal(await canI('impersonate', 'groups/system:masters'), 'no');
    });
  });
});

/**
 * The Prometheus Operator's ServiceMonitor type, reduced to what a dry run needs (the schema keeps unknown
 * fields), so the chart's ServiceMonitor is validated too. Created only when absent and never deleted: CRDs are
 * cluster-wide and another test, or a real operator CRD, may already be using the name.
 */
async function ensureServiceMonitorCrd(kubectl: (args: string[], input?: string) => Promise<{ code: number; stderr: string }>): Promise<void> {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'servicemonitors.monitoring.coreos.com' },
    spec: {
      group: 'monitoring.coreos.com',
      scope: 'Namespaced',
      names: { plural: 'servicemonitors', singular: 'servicemonitor', kind: 'ServiceMonitor', listKind: 'ServiceMonitorList' },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      ],
    },
  };
  const created = await kubectl(['create', '-f', '-'], JSON.stringify(crd));
  if (created.code !== 0 && !/AlreadyExists/.test(created.stderr)) throw new Error(`ServiceMonitor CRD: ${created.stderr}`);
  const ready = await kubectl(['wait', '--for=condition=Established', 'crd/servicemonitors.monitoring.coreos.com', '--timeout=30s']);
  if (ready.code !== 0) throw new Error(`ServiceMonitor CRD not established: ${ready.stderr}`);
}
