import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, type Role } from '../../src/config/load-config.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { renderChart, type Manifest } from './render-chart.ts';
import { findHelm } from './run-command.ts';

const helm = findHelm();
const SECRET = 'ai4k8s-credentials';
const ROLES = ['gateway', 'worker', 'mcp'] as const satisfies Role[];

interface Container {
  env?: { name: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
}
type Trigger = { type: string; metadata: Record<string, string> };

const named = (manifests: Manifest[], kind: string, suffix: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name.endsWith(suffix));
  assert.ok(found !== undefined, `no ${kind} named *${suffix}`);
  return found;
};
const podSpec = (deployment: Manifest) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

describe('Helm chart: Redis topologies, autoscaling on what matters, drains', { skip: helm === undefined ? 'helm not found' : false }, () => {
  const helmPath = helm ?? 'helm';
  const release = uniqueName('h');
  const namespace = uniqueName('helm');
  const render = (values: Record<string, unknown>) => renderChart({ helm: helmPath, release, namespace, values: { 'secrets.existingSecret': SECRET, ...values } });

  it('configures Sentinel with an ACL user, TLS and its CA from a Secret, and every role starts with what it is given', async () => {
    const { manifests } = await render({
      'redis.url': '',
      'redis.sentinels': 'redis-sentinel-0.redis:26379,redis-sentinel-1.redis:26379',
      'redis.sentinelMaster': 'mymaster',
      'redis.username': 'ai4k8s',
      'redis.tls.enabled': true,
      'redis.tls.caSecret': 'redis-ca',
      'redis.minReplicasAck': 1,
    });
    const env = named(manifests, 'ConfigMap', '-env').data as Record<string, string>;
    assert.equal(env.REDIS_URL, undefined);
    assert.equal(env.REDIS_SENTINELS, 'redis-sentinel-0.redis:26379,redis-sentinel-1.redis:26379');
    assert.equal(env.REDIS_TLS, 'true');
    assert.equal(env.REDIS_MIN_REPLICAS_ACK, '1');
    for (const role of ROLES) {
      const pod = podSpec(named(manifests, 'Deployment', `-${role}`));
      const container = pod.containers[0];
      const fromSecret = (container?.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef === undefined ? [] : [e.valueFrom.secretKeyRef.key]));
      assert.ok(fromSecret.includes('REDIS_PASSWORD'), `${role}: the Redis password comes from the Secret`);
      assert.ok(!fromSecret.includes('REDIS_URL'), `${role}: no REDIS_URL with sentinels`);
      const mount = container?.volumeMounts?.find((m) => m.name === 'redis-tls');
      assert.equal(`${mount?.mountPath ?? ''}/ca.crt`, env.REDIS_TLS_CA_FILE);
      assert.equal(pod.volumes?.find((v) => v.name === 'redis-tls')?.secret?.secretName, 'redis-ca');
      // The settings the role reads are ones the schema accepts (the CA path is checked for readability at start,
      // so the test points it at a file that exists here).
      const secrets = { MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789', REDIS_PASSWORD: 'pw', MCP_URL: 'http://mcp:3001/mcp' };
      assert.doesNotThrow(() => loadConfig({ env: { ...env, REDIS_TLS_CA_FILE: '/etc/hosts', ...secrets }, role }), role);
    }
  });

  it('refuses two topologies at once, a URL beside sentinels, and sentinels without a master name', async () => {
    await assert.rejects(render({ 'redis.url': '', 'redis.sentinels': 'a:26379', 'redis.sentinelMaster': 'm', 'redis.clusterNodes': 'b:6379' }), /choose one Redis topology/);
    await assert.rejects(render({ 'redis.clusterNodes': 'b:6379' }), /redis\.url: set it to ""/);
    await assert.rejects(render({ 'redis.url': '', 'redis.sentinels': 'a:26379' }), /redis\.sentinelMaster is required/);
  });

  it('scales workers with KEDA on waiting + active chat jobs (CPU only as the fallback), gateway and MCP on request rate', async () => {
    const plain = await render({});
    assert.equal(plain.manifests.filter((m) => m.kind === 'ScaledObject').length, 0, 'KEDA is opt-in');
    named(plain.manifests, 'HorizontalPodAutoscaler', '-worker');

    const { manifests } = await render({ 'worker.autoscaling.keda.enabled': true, 'gateway.autoscaling.keda.enabled': true, 'mcp.autoscaling.keda.enabled': true, 'config.QUEUE_PREFIX': 'team-a' });
    assert.equal(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').length, 0, 'KEDA owns the worker\'s HPA');
    const worker = named(manifests, 'ScaledObject', '-worker').spec as { scaleTargetRef: { name: string }; triggers: Trigger[] };
    assert.equal(worker.scaleTargetRef.name, `${release}-ai4k8s-worker`);
    assert.deepEqual(worker.triggers.map((t) => t.type), ['prometheus', 'cpu']);
    assert.match(worker.triggers[0]?.metadata.query ?? '', /ai4k8s_queue_jobs\{queue="chat", state=~"waiting\|active"/);
    assert.match(worker.triggers[0]?.metadata.query ?? '', /max by \(queue, state\)/, 'every gateway reports the same numbers: max, not sum');
    assert.equal(worker.triggers[0]?.metadata.threshold, '200');
    for (const role of ['gateway', 'mcp']) {
      const scaled = named(manifests, 'ScaledObject', `-${role}`).spec as { triggers: Trigger[] };
      assert.match(scaled.triggers[0]?.metadata.query ?? '', new RegExp(`rate\\(ai4k8s_http_requests_total\\{.*service="${release}-ai4k8s-${role}"`));
    }
  });

  it('has a NetworkPolicy that lets only our roles (and Redis itself) reach an in-cluster Redis', async () => {
    const without = await render({});
    assert.equal(without.manifests.some((m) => m.kind === 'NetworkPolicy' && m.metadata.name.endsWith('-redis')), false);
    const { manifests } = await render({ 'redis.podSelector': { 'app.kubernetes.io/name': 'redis' } });
    const policy = named(manifests, 'NetworkPolicy', '-redis').spec as {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[]; ports?: { port: number }[] }[];
    };
    assert.deepEqual(policy.podSelector.matchLabels, { 'app.kubernetes.io/name': 'redis' });
    assert.deepEqual(policy.policyTypes, ['Ingress']);
    const [roles, peers] = policy.ingress;
    assert.deepEqual(roles?.from.map((f) => f.podSelector.matchLabels['app.kubernetes.io/component']), ['gateway', 'worker', 'mcp']);
    assert.ok(roles?.from.every((f) => f.podSelector.matchLabels['app.kubernetes.io/instance'] === release));
    assert.deepEqual(roles?.ports?.map((p) => p.port), [6379, 26379]);
    assert.deepEqual(peers?.from.map((f) => f.podSelector.matchLabels), [{ 'app.kubernetes.io/name': 'redis' }]);
    assert.equal(policy.ingress.length, 2, 'nothing else may reach Redis');
  });

  it('drains gracefully: a preStop pause, and a grace period longer than the pause plus SHUTDOWN_TIMEOUT_MS', async () => {
    const { manifests } = await render({ 'config.SHUTDOWN_TIMEOUT_MS': '20000' });
    for (const role of ROLES) {
      const pod = podSpec(named(manifests, 'Deployment', `-${role}`));
      const pause = pod.containers[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0;
      assert.ok(pause > 0, `${role}: no preStop pause`);
      assert.ok((pod.terminationGracePeriodSeconds ?? 30) > pause + 20, `${role}: the grace period ends mid-drain`);
    }
    await assert.rejects(render({ 'config.SHUTDOWN_TIMEOUT_MS': '60000' }), /terminationGracePeriodSeconds \(\d+\) must exceed/);
  });
});
