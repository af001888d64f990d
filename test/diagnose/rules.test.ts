import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { Evidence } from '../../src/diagnose/evidence.ts';
import { diagnosisRules } from '../../src/diagnose/rules/index.ts';
import { runRules } from '../../src/diagnose/run-rules.ts';
import { SCENARIOS } from '../../dev/cluster/scenarios/index.ts';

const rules = diagnosisRules();

function pod(status: V1Pod['status'], spec: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod {
  return { metadata: { name: 'p-1', namespace: 'ns' }, spec: { containers: [{ name: 'app', image: 'img:1' }], ...spec }, status };
}

function evidenceFor(...pods: V1Pod[]): Evidence {
  const ev = new Evidence({ kind: 'Deployment', namespace: 'ns', name: 'd' }, new Date('2026-01-15T10:00:00Z'));
  ev.pods = pods;
  ev.examined = pods;
  return ev;
}

const container = (state: NonNullable<V1Pod['status']>['containerStatuses']) => state;

describe('diagnosis rules are data: one per failure class, each proven by a seeded scenario', () => {
  it('ids are unique and every rule states its class and what it needs', () => {
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
    for (const rule of rules) {
      assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/, rule.id);
      assert.ok(rule.failureClass.length > 5, rule.id);
      assert.ok(Array.isArray(rule.needs), rule.id);
    }
  });

  it('every rule that names a root cause has a scenario in the test cluster, and every scenario a rule', () => {
    const scenarioRules = new Set(SCENARIOS.map((s) => s.rule));
    const untested = rules.filter((r) => r.fallback !== true && !scenarioRules.has(r.id)).map((r) => r.id);
    assert.deepEqual(untested, [], 'rules without a scenario in dev/cluster/scenarios');
    const unknown = [...scenarioRules].filter((id) => !rules.some((r) => r.id === id));
    assert.deepEqual(unknown, [], 'scenarios naming no rule');
  });

  it('docs/diagnosis.md lists every rule in its taxonomy', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/diagnosis.md'), 'utf8');
    const missing = rules.filter((r) => !doc.includes(`\`${r.id}\``)).map((r) => r.id);
    assert.deepEqual(missing, [], 'rules missing from docs/diagnosis.md');
  });

  it('the taxonomy has at least 30 failure classes, each in a namespace of its own', () => {
    assert.ok(SCENARIOS.length >= 30, `${SCENARIOS.length} scenarios`);
    const namespaces = SCENARIOS.flatMap((s) => (s.namespace === undefined ? [] : [s.namespace]));
    assert.equal(new Set(namespaces).size, namespaces.length, 'a namespace shared by two scenarios');
    for (const ns of namespaces) assert.ok(ns > 'shop', `${ns} sorts before the fixtures' namespaces`);
  });
});

describe('the catch-all rules, for what no specific rule explains', () => {
  it("unschedulable: the scheduler's words when no resource, taint, selector or claim rule applies", () => {
    const ev = evidenceFor(
      pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 node(s) had volume node affinity conflict. preemption: 0/3 nodes',
          },
        ],
      }),
    );
    const [finding] = runRules(ev, rules).findings;
    assert.equal(finding?.rule, 'unschedulable');
    assert.match(finding?.cause ?? '', /volume node affinity conflict$/);
  });

  it('image-pull-failed: a pull error that is neither auth, rate limit nor a missing tag', () => {
    const ev = evidenceFor(
      pod({
        phase: 'Pending',
        containerStatuses: container([
          {
            name: 'app',
            image: 'img:1',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: 'ErrImagePull',
                message:
                  'failed to do request: Head "https://registry.internal/v2/img/manifests/1": dial tcp: lookup registry.internal: no such host',
              },
            },
          },
        ]),
      }),
    );
    const [finding] = runRules(ev, rules).findings;
    assert.equal(finding?.rule, 'image-pull-failed');
    assert.match(finding?.cause ?? '', /lookup registry\.internal: no such host/);
  });

  it("container-waiting and pod-not-ready name the state and the condition's words", () => {
    const creating = evidenceFor(
      pod({
        phase: 'Pending',
        containerStatuses: container([
          { name: 'app', image: 'img:1', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ]),
      }),
    );
    assert.equal(runRules(creating, rules).findings[0]?.rule, 'container-waiting');
    const gated = evidenceFor(
      pod({
        phase: 'Running',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'ReadinessGatesNotReady',
            message: 'corresponding condition of pod readiness gate "target-health.elbv2.k8s.aws/k8s-web" does not exist.',
          },
        ],
        containerStatuses: container([{ name: 'app', image: 'img:1', imageID: '', ready: true, restartCount: 0, state: { running: {} } }]),
      }),
    );
    const [finding] = runRules(gated, rules).findings;
    assert.equal(finding?.rule, 'pod-not-ready');
    assert.match(finding?.cause ?? '', /ReadinessGatesNotReady/);
  });
});

describe('runRules: precedence, one finding per object, composites over object findings', () => {
  const crashing = (name: string, node: string) => ({
    ...pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: container([
          {
            name: 'app',
            image: 'img:1',
            imageID: '',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ]),
      },
      { nodeName: node },
    ),
    metadata: { name, namespace: 'ns' },
  });
  const node = (name: string, ready: boolean): V1Node => ({
    metadata: { name },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown', reason: ready ? 'KubeletReady' : 'NodeStatusUnknown' }] },
  });

  it('a crash-looping pod on a NotReady node is explained by the node; one on a Ready node by its crash', () => {
    const ev = evidenceFor(crashing('on-lost-node', 'lost'), crashing('on-good-node', 'good'));
    ev.add({ ...node('lost', false), kind: 'Node' });
    ev.add({ ...node('good', true), kind: 'Node' });
    const { findings } = runRules(ev, rules);
    assert.deepEqual(
      findings.map((f) => [f.about.name, f.rule]),
      [
        ['on-lost-node', 'node-not-ready'],
        ['on-good-node', 'crash-app-error'],
      ],
    );
  });

  it("a composite rule builds on what the object rules found (a Service with no ready pod names the pods' cause)", () => {
    const ev = new Evidence({ kind: 'Service', namespace: 'ns', name: 'web' });
    ev.add({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'ns' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    ev.pods = [crashing('web-1', 'good')];
    ev.examined = ev.pods;
    ev.add({ ...node('good', true), kind: 'Node' });
    const { findings } = runRules(ev, rules);
    assert.equal(findings[0]?.rule, 'service-no-ready-endpoints');
    assert.match(findings[0]?.cause ?? '', /pod web-1 → CrashLoopBackOff: container app exits 1/);
  });

  it('a rule whose evidence could not be read, and that found nothing, is reported as not checked', () => {
    const ev = evidenceFor();
    ev.gaps.set('secrets', 'cannot read Secret: forbidden');
    const { findings, notChecked } = runRules(ev, rules);
    assert.deepEqual(findings, []);
    assert.ok(notChecked.some((n) => n.rule === 'config-key-missing' && n.gaps[0]?.includes('forbidden')));
  });
});
