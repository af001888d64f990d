import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { formatAge } from '../../src/kube/format-age.ts';
import { isPodAnomalous, podStatus } from '../../src/kube/pod-status.ts';
import { summarizePod } from '../../src/kube/summarize-pod.ts';
import { summarizeContainers } from '../../src/kube/summarize-containers.ts';
import { pruneObject } from '../../src/kube/prune-object.ts';

function pod(statuses: Partial<V1ContainerStatus>[], extra: Partial<V1Pod> = {}, phase = 'Running'): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', creationTimestamp: new Date('2026-01-01T00:00:00Z') },
    spec: { containers: statuses.map((s) => ({ name: s.name ?? 'c', image: 'img:1' })), nodeName: 'node-1' },
    status: {
      phase,
      containerStatuses: statuses.map((s) => ({ name: 'c', image: 'img:1', imageID: '', ready: false, restartCount: 0, ...s })),
    },
    ...extra,
  };
}

describe('podStatus (as kubectl computes STATUS)', () => {
  it('shows the waiting reason of a crash-looping container', () => {
    const p = pod([
      { state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 7, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
    ]);
    assert.equal(podStatus(p), 'CrashLoopBackOff');
    assert.equal(isPodAnomalous(p), true);
  });
  it('shows the terminated reason, or ExitCode/Signal when there is none', () => {
    assert.equal(podStatus(pod([{ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }])), 'OOMKilled');
    assert.equal(podStatus(pod([{ state: { terminated: { exitCode: 2 } } }])), 'ExitCode:2');
    assert.equal(podStatus(pod([{ state: { terminated: { exitCode: 0, signal: 9 } } }])), 'Signal:9');
  });
  it('is the phase for a healthy or pending pod, and Terminating when deleted', () => {
    const healthy = pod([{ ready: true, state: { running: {} } }]);
    assert.equal(podStatus(healthy), 'Running');
    assert.equal(isPodAnomalous(healthy), false);
    assert.equal(podStatus(pod([], {}, 'Pending')), 'Pending');
    assert.equal(
      podStatus(pod([{ ready: true, state: { running: {} } }], { metadata: { name: 'p', deletionTimestamp: new Date() } })),
      'Terminating',
    );
  });
  it('reports init container progress and failures', () => {
    const base = pod([{ state: { waiting: { reason: 'PodInitializing' } } }], {}, 'Pending');
    base.spec = { ...base.spec!, initContainers: [{ name: 'a' }, { name: 'b' }] };
    base.status!.initContainerStatuses = [
      { name: 'a', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } },
      { name: 'b', image: '', imageID: '', ready: false, restartCount: 0, state: { running: {} } },
    ];
    assert.equal(podStatus(base), 'Init:1/2');
    base.status!.initContainerStatuses[1]!.state = { waiting: { reason: 'CrashLoopBackOff' } };
    assert.equal(podStatus(base), 'Init:CrashLoopBackOff');
  });
  it('flags a running pod that is not ready, or that restarted', () => {
    assert.equal(isPodAnomalous(pod([{ ready: false, state: { running: {} } }])), true);
    assert.equal(isPodAnomalous(pod([{ ready: true, state: { running: {} }, restartCount: 1 }])), true);
  });
  it('flags a running pod whose Ready condition is False though its containers last reported ready (its node stopped reporting)', () => {
    const stale = pod([{ ready: true, state: { running: {} } }]);
    stale.status!.conditions = [
      { type: 'Ready', status: 'False' },
      { type: 'ContainersReady', status: 'True' },
    ];
    assert.equal(isPodAnomalous(stale), true);
    stale.status!.conditions = [{ type: 'Ready', status: 'True' }];
    assert.equal(isPodAnomalous(stale), false);
  });
});

describe('summaries', () => {
  const now = new Date('2026-01-01T01:00:00Z');
  it('summarizePod gives ready, restarts with when, node and last termination', () => {
    const p = pod([
      {
        name: 'checkout',
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        restartCount: 7,
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-01-01T00:57:00Z') } },
      },
    ]);
    assert.deepEqual(summarizePod(p, now), {
      namespace: 'ns',
      name: 'p',
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: 7,
      lastRestart: '3m',
      age: '60m',
      node: 'node-1',
      lastTermination: 'checkout: Error (exit 1)',
      anomalous: true,
    });
  });
  it('summarizeContainers gives one row per container with the last termination', () => {
    const rows = summarizeContainers(
      pod([
        {
          name: 'cart',
          state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          restartCount: 4,
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
        },
      ]),
    );
    assert.deepEqual(rows, [
      {
        namespace: 'ns',
        pod: 'p',
        container: 'cart',
        image: 'img:1',
        state: 'terminated: OOMKilled (exit 137)',
        ready: false,
        restarts: 4,
        lastTermination: 'OOMKilled (exit 137)',
      },
    ]);
  });
  it('formatAge prints like kubectl', () => {
    const at = (s: number) => formatAge(new Date(now.getTime() - s * 1000), now);
    assert.deepEqual([at(5), at(119), at(600), at(7200 * 3), at(86400 * 3), at(86400 * 800)], ['5s', '119s', '10m', '6h', '3d', '2y']);
    assert.equal(formatAge(undefined, now), '');
  });
  it('pruneObject drops managedFields, last-applied and empty values', () => {
    const pruned = pruneObject({
      metadata: {
        name: 'x',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        labels: {},
      },
      spec: { list: [], empty: '', none: null, keep: 0, when: new Date('2026-01-01T00:00:00Z') },
    });
    assert.deepEqual(pruned, { metadata: { name: 'x' }, spec: { keep: 0, when: '2026-01-01T00:00:00.000Z' } });
  });
});
