import { ago, containerStatus, daemonSet, deployment, event, namespace, node, podConditions, statefulSet, type Obj } from './build.ts';
import type { Scenario } from './scenario.ts';

/**
 * Nodes in trouble and the pods that suffer for it. The nodes are seeded before any scenario (see
 * SCENARIO_NODES); node events live in the default namespace, as the kubelet records them.
 */

/** node-4: the kubelet reports DiskPressure and evicts pods to reclaim ephemeral storage. */
export const diskPressureNode = node({
  name: 'node-4',
  labels: { 'topology.kubernetes.io/zone': 'zone-a' },
  taints: [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule', timeAdded: ago('50m') }],
  conditions: { DiskPressure: { status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', since: '50m' } },
});

/** node-5: MemoryPressure. */
export const memoryPressureNode = node({
  name: 'node-5',
  labels: { 'topology.kubernetes.io/zone': 'zone-b' },
  taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: ago('35m') }],
  conditions: {
    MemoryPressure: {
      status: 'True',
      reason: 'KubeletHasInsufficientMemory',
      message: 'kubelet has insufficient memory available',
      since: '35m',
    },
  },
});

/** node-6: cordoned for a drain that a PodDisruptionBudget holds up. */
export const drainingNode = node({
  name: 'node-6',
  labels: { 'topology.kubernetes.io/zone': 'zone-c' },
  unschedulable: true,
  taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ago('45m') }],
});

/** node-7: a GPU node reserved with a taint. */
export const gpuNode = node({
  name: 'node-7',
  labels: { 'topology.kubernetes.io/zone': 'zone-a', pool: 'gpu', 'nvidia.com/gpu.present': 'true' },
  taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
});

const nodeEvent = (
  nodeName: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  first: string,
  last: string,
  count = 1,
): Obj =>
  event({
    namespace: 'default',
    object: { kind: 'Node', name: nodeName, apiVersion: 'v1' },
    type,
    reason,
    message,
    count,
    first,
    last,
    source: 'kubelet',
    host: nodeName,
  });

const evictedMessage =
  'The node was low on resource: ephemeral-storage. Threshold quantity: 9349220951, available: 5021473Ki. Container fluent-bit was using 18734080Ki, request is 0, has larger consumption of ephemeral-storage. ';

const evicted: Scenario = {
  rule: 'pod-evicted',
  namespace: 'triage-evicted',
  objects: [
    namespace('triage-evicted'),
    ...daemonSet({
      namespace: 'triage-evicted',
      name: 'log-shipper',
      podSpec: {
        containers: [
          {
            name: 'fluent-bit',
            image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.2',
            volumeMounts: [{ name: 'buffer', mountPath: '/buffer' }],
            resources: { requests: { cpu: '50m', memory: '64Mi' } },
          },
        ],
        volumes: [{ name: 'buffer', emptyDir: {} }],
      },
      pods: [
        {
          suffix: '8x2kd',
          node: 'node-4',
          phase: 'Failed',
          reason: 'Evicted',
          message: evictedMessage,
          podIP: '10.244.4.12',
          conditions: [
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'TerminationByKubelet',
              message: 'The node was low on resource: ephemeral-storage.',
              lastTransitionTime: ago('48m'),
            },
            ...podConditions({ ready: { reason: 'PodFailed', message: '' } }),
          ],
          containers: [
            containerStatus({
              name: 'fluent-bit',
              image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.2',
              terminated: {
                reason: 'ContainerStatusUnknown',
                exitCode: 137,
                message: 'The container could not be located when the pod was terminated',
                started: '3h',
                finished: '48m',
              },
            }),
          ],
        },
        {
          suffix: 'q9v3n',
          node: 'node-1',
          phase: 'Running',
          podIP: '10.244.1.12',
          conditions: podConditions({}),
          containers: [
            containerStatus({ name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.2', ready: true, running: '3h' }),
          ],
        },
      ],
      status: {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        numberReady: 1,
        numberAvailable: 1,
        numberUnavailable: 1,
        numberMisscheduled: 0,
        updatedNumberScheduled: 2,
        observedGeneration: 1,
      },
    }),
    event({
      namespace: 'triage-evicted',
      object: { kind: 'Pod', name: 'log-shipper-8x2kd' },
      reason: 'Evicted',
      message: evictedMessage.trim(),
      first: '48m',
      last: '48m',
      source: 'kubelet',
      host: 'node-4',
    }),
    event({
      namespace: 'triage-evicted',
      object: { kind: 'Pod', name: 'log-shipper-8x2kd', fieldPath: 'spec.containers{fluent-bit}' },
      type: 'Normal',
      reason: 'Killing',
      message: 'Stopping container fluent-bit',
      first: '48m',
      last: '48m',
      source: 'kubelet',
      host: 'node-4',
    }),
  ],
  subject: { kind: 'DaemonSet', namespace: 'triage-evicted', name: 'log-shipper' },
  verdict: [/[Ee]victed/, /node-4/, /ephemeral-storage/],
  facts: [/fluent-bit/, /17\.9Gi|18734080Ki/, /DiskPressure/, /no ephemeral-storage (request|limit)/],
  question: 'log-shipper in triage-evicted is missing on one node, why?',
};

const diskPressure: Scenario = {
  rule: 'node-pressure',
  objects: [
    nodeEvent('node-4', 'Normal', 'NodeHasDiskPressure', 'Node node-4 status is now: NodeHasDiskPressure', '50m', '50m'),
    nodeEvent('node-4', 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage', '50m', '48m', 3),
    nodeEvent(
      'node-4',
      'Warning',
      'FreeDiskSpaceFailed',
      'Failed to garbage collect required amount of images. Attempted to free 11817592422 bytes, but only found 0 bytes eligible to free.',
      '50m',
      '5m',
      10,
    ),
  ],
  subject: { kind: 'Node', name: 'node-4' },
  verdict: [/node-4/, /DiskPressure/],
  facts: [/EvictionThresholdMet/, /log-shipper-8x2kd/, /disk-pressure:NoSchedule/],
  question: 'what is wrong with node-4?',
};

const memoryPressure: Scenario = {
  rule: 'node-pressure',
  namespace: 'triage-node-memory',
  objects: [
    namespace('triage-node-memory'),
    ...deployment({
      namespace: 'triage-node-memory',
      name: 'session-cache',
      podSpec: {
        containers: [{ name: 'redis', image: 'docker.io/library/redis:7.4', resources: { requests: { cpu: '100m', memory: '256Mi' } } }],
      },
      pods: [
        {
          suffix: 'w6z4b',
          node: 'node-5',
          phase: 'Failed',
          reason: 'Evicted',
          podIP: '10.244.5.20',
          message:
            'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87432Ki. Container redis was using 9873544Ki, request is 256Mi, has larger consumption of memory. ',
          conditions: podConditions({ ready: { reason: 'PodFailed', message: '' } }),
          containers: [
            containerStatus({
              name: 'redis',
              image: 'docker.io/library/redis:7.4',
              terminated: {
                reason: 'ContainerStatusUnknown',
                exitCode: 137,
                message: 'The container could not be located when the pod was terminated',
                started: '5h',
                finished: '33m',
              },
            }),
          ],
        },
      ],
    }),
    nodeEvent('node-5', 'Normal', 'NodeHasInsufficientMemory', 'Node node-5 status is now: NodeHasInsufficientMemory', '35m', '35m'),
    nodeEvent('node-5', 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', '35m', '33m', 2),
  ],
  subject: { kind: 'Node', name: 'node-5' },
  verdict: [/node-5/, /MemoryPressure/],
  facts: [/session-cache-7c9f5d8b6-w6z4b/, /redis was using 9873544Ki|9\.4Gi/],
  question: 'node-5 looks unhealthy, what is going on?',
};

const nodeLostPod = 'ledger-sync-7c9f5d8b6-s3d7f';
const nodeNotReady: Scenario = {
  rule: 'node-not-ready',
  namespace: 'triage-node-lost',
  objects: [
    namespace('triage-node-lost'),
    ...deployment({
      namespace: 'triage-node-lost',
      name: 'ledger-sync',
      podSpec: {
        containers: [{ name: 'sync', image: 'ghcr.io/acme/ledger-sync:1.0.3', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
        // Rides out short node outages instead of being evicted after the default 5 minutes.
        tolerations: [
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3600 },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3600 },
        ],
      },
      pods: [
        {
          suffix: 's3d7f',
          node: 'node-3',
          phase: 'Running',
          podIP: '10.244.3.15',
          startTime: '3d',
          // The node lifecycle controller flipped Ready; ContainersReady is still the kubelet's last word.
          conditions: [
            { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: ago('3d') },
            { type: 'Initialized', status: 'True', lastTransitionTime: ago('3d') },
            { type: 'Ready', status: 'False', lastTransitionTime: ago('25m') },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: ago('3d') },
            { type: 'PodScheduled', status: 'True', lastTransitionTime: ago('3d') },
          ],
          containers: [containerStatus({ name: 'sync', image: 'ghcr.io/acme/ledger-sync:1.0.3', ready: true, running: '3d' })],
        },
      ],
      status: {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 0,
        availableReplicas: 0,
        unavailableReplicas: 1,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
            lastUpdateTime: ago('25m'),
            lastTransitionTime: ago('25m'),
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: 'ReplicaSet "ledger-sync-7c9f5d8b6" has successfully progressed.',
            lastUpdateTime: ago('3d'),
            lastTransitionTime: ago('3d'),
          },
        ],
      },
    }),
    event({
      namespace: 'triage-node-lost',
      object: { kind: 'Pod', name: nodeLostPod },
      reason: 'NodeNotReady',
      message: 'Node is not ready',
      first: '25m',
      last: '25m',
      source: 'node-controller',
    }),
  ],
  logs: [{ namespace: 'triage-node-lost', pod: nodeLostPod, container: 'sync', current: 'level=info msg="sync batch done" rows=1200\n' }],
  subject: { kind: 'Deployment', namespace: 'triage-node-lost', name: 'ledger-sync' },
  verdict: [/node-3/, /NotReady|not ready/, /ledger-sync-7c9f5d8b6-s3d7f/],
  facts: [/Kubelet stopped posting node status/, /NodeNotReady/, /Ready=False/],
  question: 'ledger-sync in triage-node-lost is unavailable but its pod says Running, why?',
};

const zkSpec = {
  containers: [
    {
      name: 'zookeeper',
      image: 'docker.io/library/zookeeper:3.9.3',
      ports: [{ containerPort: 2181 }],
      resources: { requests: { cpu: '250m', memory: '512Mi' } },
    },
  ],
};
const pdbDrain: Scenario = {
  rule: 'drain-blocked-by-pdb',
  namespace: 'triage-drain',
  objects: [
    namespace('triage-drain'),
    ...statefulSet({
      namespace: 'triage-drain',
      name: 'zk',
      replicas: 3,
      podSpec: zkSpec,
      pods: ['0', '1', '2'].map((ordinal, i) => ({
        suffix: ordinal,
        node: ['node-1', 'node-2', 'node-6'][i],
        phase: 'Running' as const,
        podIP: `10.244.${[1, 2, 6][i]}.3${i}`,
        conditions: podConditions({ since: '6d' }),
        containers: [containerStatus({ name: 'zookeeper', image: 'docker.io/library/zookeeper:3.9.3', ready: true, running: '6d' })],
      })),
    }),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'zk-pdb', namespace: 'triage-drain' },
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'zk' } } },
      status: {
        observedGeneration: 1,
        currentHealthy: 3,
        desiredHealthy: 3,
        disruptionsAllowed: 0,
        expectedPods: 3,
        conditions: [
          {
            type: 'DisruptionAllowed',
            status: 'False',
            reason: 'InsufficientPods',
            message: '',
            observedGeneration: 1,
            lastTransitionTime: ago('6d'),
          },
        ],
      },
    },
    nodeEvent('node-6', 'Normal', 'NodeNotSchedulable', 'Node node-6 status is now: NodeNotSchedulable', '45m', '45m'),
  ],
  subject: { kind: 'Node', name: 'node-6' },
  verdict: [/drain/, /PodDisruptionBudget triage-drain\/zk-pdb/, /zk-2/],
  facts: [/cordoned|SchedulingDisabled|unschedulable/, /minAvailable 3/, /0 disruptions allowed|disruptionsAllowed 0/],
  question: 'draining node-6 has been stuck for 45 minutes, why?',
};

export const nodeScenarios: Scenario[] = [nodeNotReady, diskPressure, memoryPressure, evicted, pdbDrain];

/** Nodes added to the fixtures' three, in name order, and what `kubectl get nodes` shows for each. */
export const SCENARIO_NODES: { object: Obj; status: string }[] = [
  { object: diskPressureNode, status: 'Ready' },
  { object: memoryPressureNode, status: 'Ready' },
  { object: drainingNode, status: 'Ready,SchedulingDisabled' },
  { object: gpuNode, status: 'Ready' },
];
