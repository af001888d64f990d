import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeWindow } from '../../../src/mcp/toolsets/core/changes/change-item.ts';
import { changeWindow, deriveChanges, newestFirst } from '../../../src/mcp/toolsets/core/changes/list-changes.ts';
import type { ChangeSnapshot } from '../../../src/mcp/toolsets/core/changes/read-change-snapshot.ts';
import type { ManagedFieldsEntry, RawWorkload } from '../../../src/mcp/toolsets/core/changes/raw-objects.ts';
import { workloadScope } from '../../../src/mcp/toolsets/core/changes/workload-scope.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const lastHour: ChangeWindow = { sinceMs: NOW - 3_600_000, untilMs: NOW };

function snapshot(parts: Partial<ChangeSnapshot>): ChangeSnapshot {
  return {
    deployments: [],
    statefulSets: [],
    daemonSets: [],
    replicaSets: [],
    controllerRevisions: [],
    services: [],
    configMaps: [],
    secrets: [],
    horizontalPodAutoscalers: [],
    rescaleEvents: [],
    scalingEvents: [],
    nodes: [],
    argoApplications: [],
    fluxKustomizations: [],
    fluxHelmReleases: [],
    unknown: [],
    ...parts,
  };
}

const templateWrite = (manager: string, minutesAgo: number): ManagedFieldsEntry => ({
  manager,
  operation: 'Update',
  time: at(minutesAgo),
  fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': {} } } },
});
const image = (tag: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `web:${tag}` }] } });

function deployment(managedFields: ManagedFieldsEntry[], replicas = 2): RawWorkload {
  return {
    metadata: { name: 'web', namespace: 'shop', uid: 'dep-1', creationTimestamp: at(600), managedFields },
    spec: { replicas, template: image('3') },
  };
}
function replicaSet(name: string, revision: number, minutesAgo: number, tag: string): RawWorkload {
  return {
    metadata: {
      name,
      namespace: 'shop',
      creationTimestamp: at(minutesAgo),
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ uid: 'dep-1', controller: true }],
    },
    spec: { template: image(tag) },
  };
}
const scalingEvent = (message: string, minutesAgo: number) => ({
  involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop' },
  reason: 'ScalingReplicaSet',
  message,
  lastTimestamp: at(minutesAgo),
});

describe('deriveChanges: each family from plain objects', () => {
  it('a rollback: the reused ReplicaSet is dated by the template write that made it current, and diffed against the revision before', () => {
    const derived = deriveChanges(
      snapshot({
        deployments: [deployment([templateWrite('argocd-controller', 5)])],
        replicaSets: [replicaSet('web-a', 4, 300, '1'), replicaSet('web-b', 5, 200, '2'), replicaSet('web-a2', 6, 180, '3')],
      }),
      lastHour,
      undefined,
    );
    // Revision 6 was created three hours ago but its template was written 5 minutes ago: a rollback to it.
    const rollouts = derived.items.filter((item) => item.type === 'rollout');
    assert.deepEqual(
      rollouts.map((item) => [item.at, item.summary, item.by]),
      [
        [
          at(5),
          'rollout to revision 6 (an earlier revision made current again: rollback or revert): image web: web 2 → 3',
          'argocd-controller',
        ],
      ],
    );
  });

  it('StatefulSet revisions come from ControllerRevisions; only the newest names its author', () => {
    const owner = { uid: 'sts-1', controller: true };
    const revision = (name: string, number: number, minutesAgo: number, tag: string) => ({
      metadata: { name, namespace: 'db', creationTimestamp: at(minutesAgo), ownerReferences: [owner] },
      revision: number,
      data: { spec: { template: image(tag) } },
    });
    const derived = deriveChanges(
      snapshot({
        statefulSets: [
          {
            metadata: { name: 'pg', namespace: 'db', uid: 'sts-1', creationTimestamp: at(900), managedFields: [templateWrite('helm', 10)] },
            spec: { template: image('16.3') },
          },
        ],
        controllerRevisions: [revision('pg-1', 1, 900, '16.1'), revision('pg-2', 2, 40, '16.2'), revision('pg-3', 3, 10, '16.3')],
      }),
      lastHour,
      undefined,
    );
    assert.deepEqual(
      derived.items.filter((item) => item.type === 'rollout').map((item) => [item.name, item.summary, item.by ?? '-', item.derivedFrom]),
      [
        [
          'pg',
          'rollout to revision 3: image web: web 16.2 → 16.3',
          'helm',
          'ControllerRevision pg-2 (rev 2) → ControllerRevision pg-3 (rev 3); author from managedFields',
        ],
        [
          'pg',
          'rollout to revision 2: image web: web 16.1 → 16.2',
          '-',
          'ControllerRevision pg-1 (rev 1) → ControllerRevision pg-2 (rev 2)',
        ],
      ],
    );
  });

  it("scaling: a rolling update's steps are not scalings; a later kubectl scale is, named by the scale-subresource manager", () => {
    const scaleEntry: ManagedFieldsEntry = {
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    const derived = deriveChanges(
      snapshot({
        deployments: [deployment([templateWrite('kubectl-edit', 30), scaleEntry], 5)],
        replicaSets: [replicaSet('web-old', 1, 300, '2'), replicaSet('web-new', 2, 30, '3')],
        scalingEvents: [
          scalingEvent('Scaled up replica set web-new to 1 from 0', 30),
          scalingEvent('Scaled down replica set web-old to 1 from 2', 29),
          scalingEvent('Scaled up replica set web-new to 2 from 1', 29),
          scalingEvent('Scaled down replica set web-old to 0 from 1', 28),
          scalingEvent('Scaled up replica set web-new to 5 from 2', 12),
        ],
      }),
      lastHour,
      undefined,
    );
    const scaling = derived.items.filter((item) => item.type === 'scale');
    assert.deepEqual(
      scaling.map((item) => [item.at, item.summary, item.by]),
      [[at(12), 'Scaled up replica set web-new to 5 from 2 (replicas now 5)', 'kubectl']],
    );
    assert.deepEqual(derived.unknown, []);
  });

  it('scaling without a dating event is unknown, said once for all such workloads', () => {
    const scaleEntry: ManagedFieldsEntry = {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    const derived = deriveChanges(snapshot({ deployments: [deployment([scaleEntry], 7)] }), lastHour, undefined);
    assert.deepEqual(derived.items, []);
    assert.deepEqual(derived.unknown, [
      'Scaled through the scale subresource at an unknown time (managedFields keep no time for it and no scaling event is left in the window): Deployment shop/web (replicas 7, by kube-controller-manager).',
    ]);
  });

  it('a dated replicas write by a manager that also owns the template: part of a rollout when a revision is near it, else flagged as either', () => {
    const both: ManagedFieldsEntry = {
      manager: 'helm',
      operation: 'Update',
      time: at(20),
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': {} } },
    };
    const withRollout = deriveChanges(
      snapshot({ deployments: [deployment([both])], replicaSets: [replicaSet('web-a', 1, 300, '2'), replicaSet('web-b', 2, 20, '3')] }),
      lastHour,
      undefined,
    );
    assert.deepEqual(
      withRollout.items.map((item) => item.type),
      ['rollout'],
    );
    const alone = deriveChanges(
      snapshot({ deployments: [deployment([both])], replicaSets: [replicaSet('web-a', 1, 300, '3')] }),
      lastHour,
      undefined,
    );
    assert.deepEqual(
      alone.items.map((item) => item.summary),
      ['replicas set to 2 (this manager also owns the pod template: its write may have changed either)'],
    );
  });

  it('nodes: conditions that changed together are one item; taints by their timeAdded; a cordon by its manager', () => {
    const derived = deriveChanges(
      snapshot({
        nodes: [
          {
            metadata: {
              name: 'n1',
              creationTimestamp: at(5000),
              managedFields: [
                { manager: 'kubectl-cordon', operation: 'Update', time: at(3), fieldsV1: { 'f:spec': { 'f:unschedulable': {} } } },
              ],
            },
            spec: {
              unschedulable: true,
              taints: [
                { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: at(3) },
                { key: 'old', effect: 'NoSchedule', timeAdded: at(500) },
              ],
            },
            status: {
              conditions: [
                { type: 'Ready', status: 'False', reason: 'KubeletNotReady', lastTransitionTime: at(8) },
                { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', lastTransitionTime: at(8) },
                { type: 'MemoryPressure', status: 'False', lastTransitionTime: at(900) },
              ],
            },
          },
          // Uncordoned: the field is gone, and with it any record.
          {
            metadata: {
              name: 'n2',
              creationTimestamp: at(5000),
              managedFields: [{ manager: 'kubectl-cordon', operation: 'Update', time: at(2), fieldsV1: { 'f:spec': {} } }],
            },
            spec: {},
          },
        ],
      }),
      lastHour,
      undefined,
    );
    assert.deepEqual(
      derived.items.sort(newestFirst).map((item) => `${item.name} ${item.summary}${item.by === undefined ? '' : ` by ${item.by}`}`),
      [
        'n1 taints added: node.kubernetes.io/unschedulable:NoSchedule',
        'n1 cordoned (unschedulable) by kubectl-cordon',
        'n1 conditions now: Ready False (KubeletNotReady), DiskPressure True (KubeletHasDiskPressure)',
      ],
    );
  });

  it('Helm: only the newest revision can name its chart; revisions beyond --history-max are unknown', () => {
    const release = (revision: number, minutesAgo: number, status: string) => ({
      metadata: {
        name: `sh.helm.release.v1.api.v${revision}`,
        namespace: 'shop',
        creationTimestamp: at(minutesAgo),
        labels: { owner: 'helm', name: 'api', version: String(revision), status },
      },
    });
    const derived = deriveChanges(
      snapshot({
        secrets: [release(8, 50, 'superseded'), release(9, 5, 'deployed')],
        deployments: [
          {
            metadata: {
              name: 'api',
              namespace: 'shop',
              creationTimestamp: at(5000),
              labels: { 'helm.sh/chart': 'api-2.0.1' },
              annotations: { 'meta.helm.sh/release-name': 'api' },
            },
          },
        ],
      }),
      lastHour,
      undefined,
    );
    assert.deepEqual(
      derived.items.map((item) => item.summary),
      ['revision 8 superseded (upgrade or rollback)', 'revision 9 deployed, chart api-2.0.1 (upgrade or rollback)'],
    );
    assert.deepEqual(derived.unknown, [
      'Helm release shop/api keeps revisions 8–9 only (--history-max): its earlier revisions are unknown.',
    ]);
    assert.ok(
      derived.items.every((item) => item.type === 'helm'),
      'release Secrets are releases, not Secret changes',
    );
  });

  it('around one workload: the ConfigMaps and Secrets its template reads (env, envFrom, volumes, pull secrets), not the others', () => {
    const write = (minutesAgo: number): ManagedFieldsEntry => ({
      manager: 'kubectl-edit',
      operation: 'Update',
      time: at(minutesAgo),
      fieldsV1: { 'f:data': { 'f:key': {} } },
    });
    const object = (name: string) => ({ metadata: { name, namespace: 'shop', creationTimestamp: at(5000), managedFields: [write(4)] } });
    const web: RawWorkload = {
      metadata: { name: 'web', namespace: 'shop', uid: 'dep-1', creationTimestamp: at(5000) },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                envFrom: [{ configMapRef: { name: 'env-cm' } }],
                env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'x' } } }],
              },
            ],
            volumes: [
              { name: 'v', projected: { sources: [{ configMap: { name: 'projected-cm' } }] } },
              { name: 's', secret: { secretName: 'vol-secret' } },
            ],
            imagePullSecrets: [{ name: 'pull' }],
          },
        },
      },
    };
    const snap = snapshot({
      deployments: [web],
      configMaps: ['env-cm', 'projected-cm', 'other-cm'].map(object),
      secrets: ['env-secret', 'vol-secret', 'pull', 'other-secret'].map(object),
    });
    const scope = workloadScope(snap, { kind: 'Deployment', name: 'web' });
    const names = deriveChanges(snap, lastHour, scope)
      .items.map((item) => `${item.kind} ${item.name}`)
      .sort();
    assert.deepEqual(names, ['ConfigMap env-cm', 'ConfigMap projected-cm', 'Secret env-secret', 'Secret pull', 'Secret vol-secret']);
  });

  it('the most one call reads (500 objects of each kind: 500 ReplicaSets, ConfigMaps, Secrets, events) derives in well under a second', () => {
    const deployments: RawWorkload[] = [];
    const replicaSets: RawWorkload[] = [];
    for (let d = 0; d < 500; d++) {
      deployments.push({
        metadata: { name: `d${d}`, namespace: 'big', uid: `u${d}`, creationTimestamp: at(600), managedFields: [templateWrite('m', 5)] },
        spec: { template: image('5') },
      });
      for (let r = 1; r <= 1; r++) {
        replicaSets.push({
          metadata: {
            name: `d${d}-${r}`,
            namespace: 'big',
            creationTimestamp: at(60 - r * 5),
            annotations: { 'deployment.kubernetes.io/revision': String(r) },
            ownerReferences: [{ uid: `u${d}`, controller: true }],
          },
          spec: { template: image(String(r)) },
        });
      }
    }
    // Each deployment's one kept revision is its second: the first is gone, so each says its change is unknown.
    for (const rs of replicaSets)
      if (rs.metadata?.annotations !== undefined) rs.metadata.annotations['deployment.kubernetes.io/revision'] = '2';
    const configMaps = Array.from({ length: 500 }, (_, i) => ({
      metadata: {
        name: `cm${i}`,
        namespace: 'big',
        creationTimestamp: at(600),
        managedFields: [{ manager: 'm', operation: 'Update', time: at(3), fieldsV1: { 'f:data': { 'f:k': {} } } }],
      },
    }));
    const scalingEvents = Array.from({ length: 500 }, (_, i) => scalingEvent(`Scaled up replica set d${i % 500}-1 to 3 from 2`, 2));
    const started = performance.now();
    const derived = deriveChanges(
      snapshot({ deployments, replicaSets, configMaps, secrets: configMaps, scalingEvents }),
      lastHour,
      undefined,
    );
    const elapsed = performance.now() - started;
    assert.equal(derived.items.filter((item) => item.type === 'rollout').length, 500);
    assert.equal(derived.items.filter((item) => item.type === 'config').length, 500);
    assert.ok(elapsed < 1_000, `${elapsed} ms`);
  });

  it('the window: a duration or an RFC 3339 time; wrong or reversed windows are refused with what to give', () => {
    const now = new Date(NOW);
    assert.deepEqual(changeWindow({ since: '90m' }, now), { sinceMs: NOW - 90 * 60_000, untilMs: NOW });
    assert.deepEqual(changeWindow({ since: '2025-06-01T11:00:00Z', until: '2025-06-01T11:30:00Z' }, now), {
      sinceMs: Date.parse('2025-06-01T11:00:00Z'),
      untilMs: Date.parse('2025-06-01T11:30:00Z'),
    });
    assert.throws(() => changeWindow({ since: 'yesterday' }, now), /neither a duration/);
    assert.throws(() => changeWindow({ since: '2025-06-01T12:30:00Z' }, now), /since must be before until/);
    assert.throws(() => changeWindow({ since: '40d' }, now), /at most 31 days/);
  });
});
