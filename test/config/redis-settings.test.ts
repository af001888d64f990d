import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { redisSettingsFrom } from '../../src/config/redis-settings.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, role: 'gateway' });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  return [];
}

const settings = (env: Record<string, string>) => redisSettingsFrom(loadConfig({ env, role: 'gateway' }));

describe('Redis settings: one topology, credentials and TLS, checked at start', () => {
  it('is standalone REDIS_URL by default, credentials and TLS from the URL', () => {
    assert.deepEqual(settings({}), { topology: { kind: 'standalone', url: 'redis://127.0.0.1:6379' }, minReplicasAck: 0 });
    const tls = settings({ REDIS_URL: 'rediss://ai4k8s:pw@redis:6380', REDIS_MIN_REPLICAS_ACK: '1' });
    assert.deepEqual(tls.tls, {});
    assert.equal(tls.minReplicasAck, 1);
  });

  it('reads Sentinel and Cluster addresses, the ACL user and the CA file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const sentinel = settings({
      REDIS_SENTINELS: 's0:26379, [::1]:26380',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      REDIS_USERNAME: 'ai4k8s',
      REDIS_PASSWORD: 'data-pw',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: ca,
    });
    assert.deepEqual(sentinel.topology, {
      kind: 'sentinel',
      sentinels: [
        { host: 's0', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'mymaster',
      sentinelPassword: 'sentinel-pw',
    });
    assert.equal(sentinel.username, 'ai4k8s');
    assert.equal(sentinel.password, 'data-pw');
    assert.match(sentinel.tls?.ca ?? '', /BEGIN CERTIFICATE/);
    const cluster = settings({ REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379' });
    assert.deepEqual(cluster.topology, {
      kind: 'cluster',
      nodes: [
        { host: 'redis-0', port: 6379 },
        { host: 'redis-1', port: 6379 },
      ],
    });
    assert.equal(cluster.tls, undefined);
  });

  it('fails on contradictory Redis settings, naming the variables', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_MASTER: 'm', REDIS_CLUSTER_NODES: 'b:2' },
        'REDIS_SENTINELS: cannot be combined with REDIS_CLUSTER_NODES',
      ],
      [{ REDIS_SENTINELS: 'a:1' }, 'REDIS_SENTINEL_MASTER: is required'],
      [{ REDIS_SENTINEL_MASTER: 'm' }, 'REDIS_SENTINELS: is required'],
      [{ REDIS_CLUSTER_NODES: 'a:1', REDIS_URL: 'redis://x:6379' }, 'REDIS_URL: cannot be combined with REDIS_CLUSTER_NODES'],
      [{ REDIS_SENTINEL_PASSWORD: 'pw' }, 'REDIS_SENTINEL_PASSWORD: is only used with REDIS_SENTINELS'],
      [{ REDIS_USERNAME: 'ai4k8s' }, 'REDIS_PASSWORD: is required with REDIS_USERNAME'],
      [{ REDIS_URL: 'redis://u:p@x:6379', REDIS_PASSWORD: 'q' }, 'REDIS_PASSWORD: REDIS_URL already carries credentials'],
      [{ REDIS_TLS: 'true' }, 'REDIS_TLS: with REDIS_URL, TLS is chosen by the scheme'],
      [{ REDIS_TLS_CA_FILE: '/etc/hosts' }, 'REDIS_TLS_CA_FILE: is only used with TLS'],
      [{ REDIS_URL: 'rediss://x:6379', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, 'REDIS_TLS_CA_FILE: cannot read /nonexistent/ca.pem'],
      [
        { REDIS_URL: 'rediss://x:6379', REDIS_TLS_CERT_FILE: '/etc/hosts' },
        'REDIS_TLS_KEY_FILE: REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together',
      ],
      [{ REDIS_CLUSTER_NODES: 'a:1', REDIS_MIN_REPLICAS_ACK: '1' }, 'REDIS_MIN_REPLICAS_ACK: is not supported with REDIS_CLUSTER_NODES'],
      [{ REDIS_CLUSTER_NODES: 'a' }, 'REDIS_CLUSTER_NODES: expected a comma-separated list of cluster node addresses host:port'],
      [{ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_MASTER: 'bad name' }, 'REDIS_SENTINEL_MASTER: expected the master name'],
    ];
    for (const [env, expected] of cases) {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `${JSON.stringify(env)} → ${problems.join(' | ')}`,
      );
    }
  });
});
