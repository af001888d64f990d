import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { imageChange, podTemplateDiff } from '../../../src/mcp/toolsets/core/changes/pod-template-diff.ts';

const template = (
  container: Record<string, unknown>,
  extra: Partial<NonNullable<V1PodTemplateSpec['spec']>> = {},
  metadata: V1PodTemplateSpec['metadata'] = {},
): V1PodTemplateSpec => ({
  metadata,
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', ...container }], ...extra },
});

describe('podTemplateDiff: what differs between two revisions, never a credential value', () => {
  it('images: a tag move is shown short, a new repository in full; containers added and removed', () => {
    assert.equal(imageChange('registry.example.com/app:1.0', 'registry.example.com/app:1.1'), 'registry.example.com/app 1.0 → 1.1');
    assert.equal(imageChange('app@sha256:aaa', 'app@sha256:bbb'), 'app @sha256:aaa → @sha256:bbb');
    assert.equal(imageChange('localhost:5000/app', 'localhost:5000/app:2'), 'localhost:5000/app latest → 2');
    assert.equal(imageChange('a/app:1', 'b/app:1'), 'a/app:1 → b/app:1');
    const before = template({});
    const after: V1PodTemplateSpec = { spec: { containers: [{ name: 'sidecar', image: 'envoy:1.30' }] } };
    assert.deepEqual(podTemplateDiff(before, after), ['container sidecar added (image envoy:1.30)', 'container app removed']);
  });

  it('env: names added and removed, literal values of ordinary names, never a credential-named or Secret-sourced value', () => {
    const before = template({
      env: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'API_TOKEN', value: 'tok-before-1234567890' },
        { name: 'DATABASE_URL', value: 'postgres://app:hunter2-pw@db:5432/app' },
        { name: 'GONE', value: 'x' },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
    });
    const after = template({
      env: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'API_TOKEN', value: 'tok-after-0987654321' },
        { name: 'DATABASE_URL', value: 'postgres://app:other-secret-pw@db2:5432/app' },
        { name: 'NEW_FLAG', value: 'on' },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db-v2', key: 'password' } } },
      ],
    });
    const [env] = podTemplateDiff(before, after);
    assert.equal(
      env,
      'env app: LOG_LEVEL "info" → "debug", API_TOKEN changed (value not shown: credential name), ' +
        'DATABASE_URL "postgres://app:[redacted: password]@db:5…" → "postgres://app:[redacted: password]@db2:…", ' +
        '+NEW_FLAG, FROM_SECRET changed (from Secret db-v2 key password), -GONE',
    );
    for (const secret of ['tok-before', 'tok-after', 'hunter2', 'other-secret-pw']) assert.ok(!(env ?? '').includes(secret), secret);
  });

  it('resources, command and args (changed, no values), probes (handler and timings, never an exec command)', () => {
    const before = template({
      command: ['/app', '--password=p1'],
      args: ['--token=t1'],
      resources: { limits: { memory: '512Mi', cpu: '1' }, requests: { cpu: '100m' } },
      livenessProbe: { exec: { command: ['check', '--secret=s1'] }, periodSeconds: 10 },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    });
    const after = template({
      command: ['/app', '--password=p2'],
      args: ['--token=t2'],
      resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      livenessProbe: { exec: { command: ['check', '--secret=s2'] }, periodSeconds: 5 },
      startupProbe: { tcpSocket: { port: 8080 } },
    });
    assert.deepEqual(podTemplateDiff(before, after), [
      'resources app: -limits.cpu, limits.memory 512Mi → 256Mi, +requests.memory 128Mi',
      'command app changed',
      'args app changed',
      'livenessProbe app changed (periodSeconds 10 → 5)',
      'readinessProbe app removed',
      'startupProbe app added (tcpSocket 8080)',
    ]);
  });

  it("a restart request, pod annotation and label keys (not the controllers' hash labels), other pod spec fields by name", () => {
    const before = template(
      { ports: [{ containerPort: 80 }] },
      { serviceAccountName: 'a' },
      { labels: { app: 'x', 'pod-template-hash': '111' }, annotations: { team: 'a' } },
    );
    const after = template(
      { ports: [{ containerPort: 8080 }] },
      { serviceAccountName: 'b', volumes: [{ name: 'v', emptyDir: {} }] },
      {
        labels: { app: 'x', 'pod-template-hash': '222', tier: 'web' },
        annotations: { team: 'b', 'kubectl.kubernetes.io/restartedAt': '2025-01-31T09:30:00Z' },
      },
    );
    assert.deepEqual(podTemplateDiff(before, after), [
      'app also changed: ports',
      'restart requested (kubectl.kubernetes.io/restartedAt 2025-01-31T09:30:00Z)',
      'pod annotations changed: team',
      'pod labels changed: tier',
      'pod spec also changed: serviceAccountName, volumes',
    ]);
  });

  it('identical templates (keys in another order, empty lists) differ in nothing', () => {
    const a = template({ env: [], resources: { limits: { cpu: '1', memory: '1Gi' } } });
    const b = template({ resources: { limits: { memory: '1Gi', cpu: '1' } } });
    assert.deepEqual(podTemplateDiff(a, b), []);
  });

  it('pathological templates (20,000 env vars, 2,000 containers) diff in well under a second', () => {
    const env = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ name: `VAR_${i}`, value: `${tag}-${i}` }));
    const containers = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: `img:${tag}` }));
    const started = performance.now();
    const big = podTemplateDiff(template({ env: env(20_000, 'a') }), template({ env: env(20_000, 'b') }));
    const many = podTemplateDiff({ spec: { containers: containers(2_000, '1') } }, { spec: { containers: containers(2_000, '2') } });
    const elapsed = performance.now() - started;
    assert.equal(big.length, 1);
    assert.match(big[0] ?? '', /^env app: VAR_0 "a-0" → "b-0", .*VAR_19 "a-19" → "b-19", and 19980 more$/);
    assert.equal(many.length, 2_000);
    assert.ok(elapsed < 1_000, `${elapsed} ms`);
  });
});
