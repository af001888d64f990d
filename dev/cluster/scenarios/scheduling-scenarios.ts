import { ago, containerStatus, deployment, event, namespace, podConditions, statefulSet, type Obj } from './build.ts';
import type { Scenario } from './scenario.ts';

/**
 * Pods the scheduler cannot place: not enough room, taints, selectors, unbound claims; and pods that
 * are never created because a ResourceQuota refuses them. The cluster has 7 nodes (fixtures plus
 * cluster-scenarios.ts): only node-1 and node-2 take ordinary pods.
 */

/** What the scheduler says about the five nodes no ordinary pod may use, in its order. */
const blockedNodes =
  '1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, ' +
  '1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, ' +
  '1 node(s) were unschedulable';

function unschedulable(message: string): Record<string, unknown>[] {
  return podConditions({ scheduled: { reason: 'Unschedulable', message } });
}

function failedScheduling(ns: string, podName: string, message: string): Obj {
  return event({
    namespace: ns,
    object: { kind: 'Pod', name: podName },
    reason: 'FailedScheduling',
    message,
    count: 12,
    first: '40m',
    last: '2m',
    source: 'default-scheduler',
  });
}

const cpuMessage = `0/7 nodes are available: ${blockedNodes}, 2 Insufficient cpu. preemption: 0/7 nodes are available: 2 No preemption victims found for incoming pod, 5 Preemption is not helpful for scheduling.`;
const pendingCpu: Scenario = {
  rule: 'unschedulable-resources',
  namespace: 'triage-pending-cpu',
  objects: [
    namespace('triage-pending-cpu'),
    ...deployment({
      namespace: 'triage-pending-cpu',
      name: 'ml-trainer',
      podSpec: {
        containers: [
          {
            name: 'trainer',
            image: 'ghcr.io/acme/ml-trainer:0.9.0',
            resources: { requests: { cpu: '16', memory: '8Gi' }, limits: { cpu: '16', memory: '8Gi' } },
          },
        ],
      },
      pods: [{ suffix: 'g7s2l', phase: 'Pending', conditions: unschedulable(cpuMessage) }],
    }),
    failedScheduling('triage-pending-cpu', 'ml-trainer-7c9f5d8b6-g7s2l', cpuMessage),
  ],
  subject: { kind: 'Deployment', namespace: 'triage-pending-cpu', name: 'ml-trainer' },
  verdict: [/Pending|cannot be scheduled/, /cpu/, /requests? cpu 16/],
  facts: [/2 Insufficient cpu/, /3920m/],
  question: 'ml-trainer in triage-pending-cpu has been Pending for 40 minutes, why?',
};

const memoryMessage = `0/7 nodes are available: ${blockedNodes}, 2 Insufficient memory. preemption: 0/7 nodes are available: 2 No preemption victims found for incoming pod, 5 Preemption is not helpful for scheduling.`;
const pendingMemory: Scenario = {
  rule: 'unschedulable-resources',
  namespace: 'triage-pending-memory',
  objects: [
    namespace('triage-pending-memory'),
    ...statefulSet({
      namespace: 'triage-pending-memory',
      name: 'elasticsearch',
      podSpec: {
        containers: [
          {
            name: 'elasticsearch',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.17.0',
            resources: { requests: { cpu: '2', memory: '32Gi' }, limits: { memory: '32Gi' } },
          },
        ],
      },
      pods: [{ suffix: '0', phase: 'Pending', conditions: unschedulable(memoryMessage) }],
    }),
    failedScheduling('triage-pending-memory', 'elasticsearch-0', memoryMessage),
  ],
  subject: { kind: 'StatefulSet', namespace: 'triage-pending-memory', name: 'elasticsearch' },
  verdict: [/memory/, /requests? memory 32Gi/],
  facts: [/2 Insufficient memory/, /14\.5Gi/],
  question: 'elasticsearch in triage-pending-memory never starts, why?',
};

const selectorMessage = `0/7 nodes are available: ${blockedNodes}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/7 nodes are available: 7 Preemption is not helpful for scheduling.`;

const pendingTaint: Scenario = {
  rule: 'unschedulable-taint',
  namespace: 'triage-pending-taint',
  objects: [
    namespace('triage-pending-taint'),
    ...deployment({
      namespace: 'triage-pending-taint',
      name: 'cuda-worker',
      podSpec: {
        nodeSelector: { pool: 'gpu' },
        containers: [{ name: 'worker', image: 'ghcr.io/acme/cuda-worker:12.4', resources: { requests: { cpu: '1', memory: '2Gi' } } }],
      },
      pods: [{ suffix: 'c2f6h', phase: 'Pending', conditions: unschedulable(selectorMessage) }],
    }),
    failedScheduling('triage-pending-taint', 'cuda-worker-7c9f5d8b6-c2f6h', selectorMessage),
  ],
  subject: { kind: 'Deployment', namespace: 'triage-pending-taint', name: 'cuda-worker' },
  verdict: [/taint/, /dedicated=gpu:NoSchedule/, /node-7/, /toleration/],
  facts: [/pool=gpu/],
  question: 'why is cuda-worker in triage-pending-taint not scheduled on the GPU node?',
};

const pendingSelector: Scenario = {
  rule: 'unschedulable-node-selector',
  namespace: 'triage-pending-selector',
  objects: [
    namespace('triage-pending-selector'),
    ...deployment({
      namespace: 'triage-pending-selector',
      name: 'cache',
      podSpec: {
        nodeSelector: { disktype: 'ssd' },
        containers: [{ name: 'cache', image: 'docker.io/library/redis:7.4', resources: { requests: { cpu: '250m', memory: '1Gi' } } }],
      },
      pods: [{ suffix: 'p4k9w', phase: 'Pending', conditions: unschedulable(selectorMessage) }],
    }),
    failedScheduling('triage-pending-selector', 'cache-7c9f5d8b6-p4k9w', selectorMessage),
  ],
  subject: { kind: 'Deployment', namespace: 'triage-pending-selector', name: 'cache' },
  verdict: [/node selector|nodeSelector/, /disktype=ssd/, /no node/],
  facts: [/didn't match Pod's node affinity\/selector/],
  question: 'cache in triage-pending-selector stays Pending, why?',
};

const unboundMessage =
  '0/7 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/7 nodes are available: 7 Preemption is not helpful for scheduling.';

const pvcNoClass: Scenario = {
  rule: 'pvc-storageclass-missing',
  namespace: 'triage-pvc-class',
  objects: [
    namespace('triage-pvc-class'),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-postgres-0', namespace: 'triage-pvc-class', labels: { app: 'postgres' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } },
      status: { phase: 'Pending' },
    },
    ...statefulSet({
      namespace: 'triage-pvc-class',
      name: 'postgres',
      podSpec: {
        containers: [
          {
            name: 'postgres',
            image: 'docker.io/library/postgres:16.6',
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            resources: { requests: { cpu: '500m', memory: '1Gi' } },
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-postgres-0' } }],
      },
      spec: {
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } },
          },
        ],
      },
      pods: [{ suffix: '0', phase: 'Pending', conditions: unschedulable(unboundMessage) }],
    }),
    failedScheduling('triage-pvc-class', 'postgres-0', unboundMessage),
    event({
      namespace: 'triage-pvc-class',
      object: { kind: 'PersistentVolumeClaim', name: 'data-postgres-0' },
      reason: 'ProvisioningFailed',
      message: 'storageclass.storage.k8s.io "fast-ssd" not found',
      count: 160,
      first: '40m',
      last: '10s',
      source: 'persistentvolume-controller',
    }),
  ],
  subject: { kind: 'StatefulSet', namespace: 'triage-pvc-class', name: 'postgres' },
  verdict: [/PersistentVolumeClaim triage-pvc-class\/data-postgres-0/, /StorageClass fast-ssd/, /does not exist/],
  facts: [/ProvisioningFailed/, /standard/],
  question: 'postgres in triage-pvc-class is Pending, why?',
};

const pvcNoPv: Scenario = {
  rule: 'pvc-no-matching-pv',
  namespace: 'triage-pvc-pv',
  objects: [
    namespace('triage-pvc-pv'),
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'grafana-data', namespace: 'triage-pvc-pv', labels: { app: 'grafana' } },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: '', resources: { requests: { storage: '20Gi' } } },
      status: { phase: 'Pending' },
    },
    ...deployment({
      namespace: 'triage-pvc-pv',
      name: 'grafana',
      podSpec: {
        containers: [
          { name: 'grafana', image: 'docker.io/grafana/grafana:11.4.0', volumeMounts: [{ name: 'data', mountPath: '/var/lib/grafana' }] },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'grafana-data' } }],
      },
      pods: [{ suffix: 'd8r5t', phase: 'Pending', conditions: unschedulable(unboundMessage) }],
    }),
    failedScheduling('triage-pvc-pv', 'grafana-7c9f5d8b6-d8r5t', unboundMessage),
    event({
      namespace: 'triage-pvc-pv',
      object: { kind: 'PersistentVolumeClaim', name: 'grafana-data' },
      type: 'Normal',
      reason: 'FailedBinding',
      message: 'no persistent volumes available for this claim and no storage class is set',
      count: 240,
      first: '1h',
      last: '15s',
      source: 'persistentvolume-controller',
    }),
  ],
  subject: { kind: 'PersistentVolumeClaim', namespace: 'triage-pvc-pv', name: 'grafana-data' },
  verdict: [/grafana-data/, /unbound|Pending/, /no PersistentVolume/],
  facts: [/FailedBinding/, /nfs-grafana/, /10Gi/, /ReadWriteOnce/, /20Gi/, /ReadWriteMany/],
  question: 'the grafana-data volume claim in triage-pvc-pv is Pending, why?',
};

const quotaMessage =
  'pods "reports-7c9f5d8b6-xv2lq" is forbidden: exceeded quota: compute-resources, requested: limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi';
const runningPod = (suffix: string, nodeIndex: number) => ({
  suffix,
  node: `node-${nodeIndex}`,
  phase: 'Running' as const,
  podIP: `10.244.${nodeIndex}.1${nodeIndex}${suffix.length}`,
  conditions: podConditions({}),
  containers: [containerStatus({ name: 'reports', image: 'ghcr.io/acme/reports:2.0.0', ready: true, running: '2h' })],
});
const quotaObjects: Obj[] = deployment({
  namespace: 'triage-quota',
  name: 'reports',
  replicas: 3,
  podSpec: {
    containers: [
      {
        name: 'reports',
        image: 'ghcr.io/acme/reports:2.0.0',
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      },
    ],
  },
  pods: [runningPod('b4m7q', 1), runningPod('j2w8n', 2)],
  status: {
    observedGeneration: 2,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 1,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: ago('2h'),
        lastTransitionTime: ago('2h'),
      },
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: quotaMessage,
        lastUpdateTime: ago('12m'),
        lastTransitionTime: ago('12m'),
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: 'ReplicaSet "reports-7c9f5d8b6" is progressing.',
        lastUpdateTime: ago('12m'),
        lastTransitionTime: ago('12m'),
      },
    ],
  },
});
const quota: Scenario = {
  rule: 'quota-exceeded',
  namespace: 'triage-quota',
  objects: [
    namespace('triage-quota'),
    ...quotaObjects,
    ...deployment({
      namespace: 'triage-quota',
      name: 'pdf-renderer',
      hash: '5b8c7d9f4',
      podSpec: {
        containers: [
          {
            name: 'renderer',
            image: 'ghcr.io/acme/pdf-renderer:1.1.0',
            resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '3Gi' } },
          },
        ],
      },
      pods: [
        {
          suffix: 'f3h6k',
          node: 'node-1',
          phase: 'Running',
          podIP: '10.244.1.140',
          conditions: podConditions({}),
          containers: [containerStatus({ name: 'renderer', image: 'ghcr.io/acme/pdf-renderer:1.1.0', ready: true, running: '3h' })],
        },
      ],
    }),
    // Created after the pods: quota admission refuses pods while the quota's usage is not yet computed.
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute-resources', namespace: 'triage-quota' },
      spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: '10' } },
      status: {
        hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: '10' },
        used: { 'requests.cpu': '1', 'limits.memory': '7Gi', pods: '3' },
      },
    },
    event({
      namespace: 'triage-quota',
      object: { kind: 'ReplicaSet', name: 'reports-7c9f5d8b6' },
      reason: 'FailedCreate',
      message: `Error creating: ${quotaMessage}`,
      count: 19,
      first: '12m',
      last: '30s',
      source: 'replicaset-controller',
    }),
    event({
      namespace: 'triage-quota',
      object: { kind: 'Deployment', name: 'reports' },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set reports-7c9f5d8b6 from 2 to 3',
      first: '12m',
      last: '12m',
      source: 'deployment-controller',
    }),
  ],
  subject: { kind: 'Deployment', namespace: 'triage-quota', name: 'reports' },
  verdict: [/ResourceQuota compute-resources/, /limits\.memory/, /2\/3|third|more pods/],
  facts: [/7Gi/, /8Gi/, /FailedCreate/],
  question: 'reports in triage-quota was scaled to 3 but only 2 pods run, why?',
};

export const schedulingScenarios: Scenario[] = [pendingCpu, pendingMemory, pendingTaint, pendingSelector, pvcNoClass, pvcNoPv, quota];
