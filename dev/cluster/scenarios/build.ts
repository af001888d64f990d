import type { FixtureObject } from '../create-with-status.ts';

/**
 * Builders for the diagnosis scenarios: the objects a controller, the scheduler and the kubelet would
 * have left behind, written compactly. Times are `@now-<n><unit>` strings that the seeder turns into
 * timestamps relative to the moment of seeding, as in the YAML fixtures.
 */
export type Obj = FixtureObject;
export type Json = Record<string, unknown>;

export const ago = (duration: string): string => `@now-${duration}`;

/** A controller reference; the seeder fills in the owner's uid. */
export function ownerRef(
  apiVersion: string,
  kind: string,
  name: string,
): { apiVersion: string; kind: string; name: string; uid: string; controller: true; blockOwnerDeletion: true } {
  return { apiVersion, kind, name, uid: '', controller: true, blockOwnerDeletion: true };
}

export function namespace(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'ai4k8s.test/scenario': 'true', ...labels } } };
}

let eventSerial = 0x17f9b2c3d000;

export interface EventOptions {
  namespace: string;
  object: { kind: string; name: string; apiVersion?: string; namespace?: string; fieldPath?: string };
  type?: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count?: number;
  first?: string;
  last?: string;
  /** The component that recorded it: kubelet, default-scheduler, deployment-controller, ... */
  source: string;
  host?: string;
}

/** An event as the component named in `source` records it; involvedObject.uid is filled in by the seeder. */
export function event({
  namespace,
  object,
  type = 'Warning',
  reason,
  message,
  count = 1,
  first = '20m',
  last = '1m',
  source,
  host,
}: EventOptions): Obj {
  eventSerial += 1;
  const apiVersion = object.apiVersion ?? defaultApiVersion(object.kind);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${object.name}.${eventSerial.toString(16)}`, namespace },
    involvedObject: {
      apiVersion,
      kind: object.kind,
      name: object.name,
      ...(object.kind === 'Node' || object.kind === 'Namespace' ? {} : { namespace: object.namespace ?? namespace }),
      ...(object.fieldPath === undefined ? {} : { fieldPath: object.fieldPath }),
    },
    type,
    reason,
    message,
    count,
    firstTimestamp: ago(first),
    lastTimestamp: ago(last),
    source: { component: source, ...(host === undefined ? {} : { host }) },
    reportingComponent: source,
    ...(host === undefined ? {} : { reportingInstance: host }),
  };
}

function defaultApiVersion(kind: string): string {
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) return 'apps/v1';
  if (['Job', 'CronJob'].includes(kind)) return 'batch/v1';
  if (kind === 'HorizontalPodAutoscaler') return 'autoscaling/v2';
  if (kind === 'Ingress') return 'networking.k8s.io/v1';
  return 'v1';
}

export interface ContainerState {
  name: string;
  image: string;
  ready?: boolean;
  restarts?: number;
  /** The container runs now (since this long ago). */
  running?: string;
  waiting?: { reason: string; message?: string };
  terminated?: { reason: string; exitCode: number; message?: string; started?: string; finished?: string };
  last?: { reason: string; exitCode: number; message?: string; started?: string; finished?: string };
}

/** A containerStatuses entry as the kubelet writes it. */
export function containerStatus({ name, image, ready = false, restarts = 0, running, waiting, terminated, last }: ContainerState): Json {
  const pulled = waiting === undefined || !/Image|ErrImage/.test(waiting.reason);
  const state: Json =
    running !== undefined
      ? { running: { startedAt: ago(running) } }
      : waiting !== undefined
        ? { waiting }
        : terminated !== undefined
          ? { terminated: terminatedState(terminated) }
          : { waiting: { reason: 'ContainerCreating' } };
  return {
    name,
    image,
    imageID: pulled ? `${image.split(':')[0] ?? image}@sha256:${'3f'.repeat(32)}` : '',
    ready,
    started: running !== undefined,
    restartCount: restarts,
    state,
    ...(last === undefined ? {} : { lastState: { terminated: terminatedState(last) } }),
  };
}

function terminatedState({ reason, exitCode, message, started = '6m', finished = '5m' }: NonNullable<ContainerState['last']>): Json {
  return { exitCode, reason, ...(message === undefined ? {} : { message }), startedAt: ago(started), finishedAt: ago(finished) };
}

export interface PodConditionOptions {
  scheduled?: boolean | { reason: string; message: string };
  initialized?: boolean | { reason: string; message: string };
  ready?: boolean | { reason: string; message: string };
  since?: string;
}

/** The pod conditions the kubelet and scheduler maintain; a condition given as an object is False with that reason. */
export function podConditions({ scheduled = true, initialized = true, ready = true, since = '30m' }: PodConditionOptions): Json[] {
  const condition = (type: string, value: boolean | { reason: string; message: string }): Json =>
    value === true
      ? { type, status: 'True', lastTransitionTime: ago(since) }
      : { type, status: 'False', lastTransitionTime: ago(since), ...(value === false ? {} : value) };
  if (scheduled !== true) return [condition('PodScheduled', scheduled)];
  const containersReady =
    ready === true ? true : ready === false ? { reason: 'ContainersNotReady', message: 'containers with unready status' } : ready;
  return [
    condition('PodReadyToStartContainers', true),
    condition('Initialized', initialized),
    condition('Ready', containersReady),
    condition('ContainersReady', containersReady),
    condition('PodScheduled', true),
  ];
}

export interface PodSeed {
  /** Appended to `<owner>-`: the random part a controller would choose. */
  suffix: string;
  node?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  conditions: Json[];
  containers?: Json[];
  initContainers?: Json[];
  reason?: string;
  message?: string;
  podIP?: string;
  startTime?: string;
  /** Labels beyond the template's (e.g. a StatefulSet's pod name). */
  labels?: Record<string, string>;
}

export interface WorkloadOptions {
  namespace: string;
  name: string;
  /** The pod template's spec. */
  podSpec: Json;
  labels?: Record<string, string>;
  replicas?: number;
  pods: PodSeed[];
  status?: Json;
  spec?: Json;
  annotations?: Record<string, string>;
}

/** A pod owned by `owner`, with its status. */
export function pod({
  namespace,
  name,
  labels,
  owner,
  podSpec,
  seed,
}: {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  owner?: { apiVersion: string; kind: string; name: string };
  podSpec: Json;
  seed: PodSeed;
}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { ...labels, ...seed.labels },
      ...(owner === undefined ? {} : { ownerReferences: [ownerRef(owner.apiVersion, owner.kind, owner.name)] }),
    },
    spec: { ...podSpec, ...(seed.node === undefined ? {} : { nodeName: seed.node }) },
    status: {
      phase: seed.phase,
      conditions: seed.conditions,
      ...(seed.reason === undefined ? {} : { reason: seed.reason }),
      ...(seed.message === undefined ? {} : { message: seed.message }),
      ...(seed.node === undefined
        ? {}
        : {
            hostIP: '127.0.0.1',
            podIP: seed.podIP ?? '10.244.1.77',
            podIPs: [{ ip: seed.podIP ?? '10.244.1.77' }],
            startTime: ago(seed.startTime ?? '30m'),
          }),
      ...(seed.containers === undefined ? {} : { containerStatuses: seed.containers }),
      ...(seed.initContainers === undefined ? {} : { initContainerStatuses: seed.initContainers }),
    },
  };
}

/** A Deployment, its ReplicaSet (revision 1 unless given) and the ReplicaSet's pods. */
export function deployment({
  namespace,
  name,
  podSpec,
  labels = { app: name },
  replicas = 1,
  pods,
  status,
  spec = {},
  annotations = {},
  hash = '7c9f5d8b6',
  revision = '1',
}: WorkloadOptions & { hash?: string; revision?: string }): Obj[] {
  const rsName = `${name}-${hash}`;
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const ready = pods.filter((p) => p.phase === 'Running' && p.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels, annotations: { 'deployment.kubernetes.io/revision': revision, ...annotations } },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec }, ...spec },
      status: status ?? deploymentStatus({ replicas, ready, rsName }),
    },
    replicaSet({ namespace, name: rsName, labels: rsLabels, podSpec, replicas, ready, revision, owner: name }),
    ...pods.map((seed) =>
      pod({
        namespace,
        name: `${rsName}-${seed.suffix}`,
        labels: rsLabels,
        owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName },
        podSpec,
        seed,
      }),
    ),
  ];
}

export function replicaSet({
  namespace,
  name,
  labels,
  podSpec,
  replicas,
  ready,
  revision,
  owner,
}: {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  podSpec: Json;
  replicas: number;
  ready: number;
  revision: string;
  owner: string;
}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': revision, 'deployment.kubernetes.io/desired-replicas': String(replicas) },
      ownerReferences: [ownerRef('apps/v1', 'Deployment', owner)],
    },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
    status: { observedGeneration: 1, replicas, fullyLabeledReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

/** What the deployment controller reports for a Deployment whose pods are not all available. */
export function deploymentStatus({
  replicas,
  ready,
  rsName,
  since = '25m',
}: {
  replicas: number;
  ready: number;
  rsName: string;
  since?: string;
}): Json {
  const available = ready >= replicas;
  return {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(available ? {} : { unavailableReplicas: replicas - ready }),
    conditions: [
      available
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: ago(since),
            lastTransitionTime: ago(since),
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
            lastUpdateTime: ago(since),
            lastTransitionTime: ago(since),
          },
      {
        type: 'Progressing',
        status: 'True',
        reason: available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message: `ReplicaSet "${rsName}" ${available ? 'has successfully progressed' : 'is progressing'}.`,
        lastUpdateTime: ago(since),
        lastTransitionTime: ago(since),
      },
    ],
  };
}

/** A StatefulSet and its pods `<name>-0`, `<name>-1`, ... (the seeds' suffixes are the ordinals). */
export function statefulSet({ namespace, name, podSpec, labels = { app: name }, replicas = 1, pods, spec = {} }: WorkloadOptions): Obj[] {
  const ready = pods.filter((p) => p.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const revision = `${name}-6b8d9c7f5d`;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace, labels },
      spec: { serviceName: name, replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec }, ...spec },
      status: {
        observedGeneration: 1,
        replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      },
    },
    ...pods.map((seed) =>
      pod({
        namespace,
        name: `${name}-${seed.suffix}`,
        labels: { ...labels, 'statefulset.kubernetes.io/pod-name': `${name}-${seed.suffix}`, 'controller-revision-hash': revision },
        owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name },
        podSpec: { ...podSpec, hostname: `${name}-${seed.suffix}`, subdomain: name },
        seed,
      }),
    ),
  ];
}

/** A DaemonSet and its pods. */
export function daemonSet({ namespace, name, podSpec, labels = { app: name }, pods, status }: WorkloadOptions): Obj[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace, labels },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
      status: status ?? {
        desiredNumberScheduled: pods.length,
        currentNumberScheduled: pods.length,
        numberReady: 0,
        numberAvailable: 0,
        numberUnavailable: pods.length,
        numberMisscheduled: 0,
        updatedNumberScheduled: pods.length,
        observedGeneration: 1,
      },
    },
    ...pods.map((seed) =>
      pod({ namespace, name: `${name}-${seed.suffix}`, labels, owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name }, podSpec, seed }),
    ),
  ];
}

/** A Job and its pods; `status` is the job controller's. */
export function job({
  namespace,
  name,
  podSpec,
  spec = {},
  pods,
  status,
  owner,
}: {
  namespace: string;
  name: string;
  podSpec: Json;
  spec?: Json;
  pods: PodSeed[];
  status: Json;
  owner?: { kind: 'CronJob'; name: string };
}): Obj[] {
  const labels = { 'batch.kubernetes.io/job-name': name, 'job-name': name };
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace,
        labels,
        ...(owner === undefined ? {} : { ownerReferences: [ownerRef('batch/v1', 'CronJob', owner.name)] }),
      },
      spec: { backoffLimit: 6, template: { metadata: { labels }, spec: { restartPolicy: 'Never', ...podSpec } }, ...spec },
      status,
    },
    ...pods.map((seed) =>
      pod({
        namespace,
        name: `${name}-${seed.suffix}`,
        labels,
        owner: { apiVersion: 'batch/v1', kind: 'Job', name },
        podSpec: { restartPolicy: 'Never', ...podSpec },
        seed,
      }),
    ),
  ];
}

export function service({
  namespace,
  name,
  selector,
  ports,
  labels = {},
}: {
  namespace: string;
  name: string;
  selector?: Record<string, string>;
  ports: Json[];
  labels?: Record<string, string>;
}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { type: 'ClusterIP', ...(selector === undefined ? {} : { selector }), ports },
  };
}

/** The EndpointSlice the endpoint-slice controller keeps for a Service: one endpoint per pod. */
export function endpointSlice({
  namespace,
  service: serviceName,
  ports,
  endpoints,
}: {
  namespace: string;
  service: string;
  ports: Json[];
  endpoints: { pod: string; ip: string; node: string; ready: boolean }[];
}): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${serviceName}-x7k2m`,
      namespace,
      labels: { 'kubernetes.io/service-name': serviceName, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [ownerRef('v1', 'Service', serviceName)],
    },
    addressType: 'IPv4',
    ports,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      nodeName: e.node,
      targetRef: { kind: 'Pod', namespace, name: e.pod },
    })),
  };
}

export function configMap(namespace: string, name: string, data: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function secret(namespace: string, name: string, stringData: Record<string, string>, type = 'Opaque'): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type, stringData };
}

/** A node as its kubelet reports it; `conditions` override the healthy defaults by type. */
export function node({
  name,
  labels = {},
  taints,
  unschedulable,
  conditions = {},
  heartbeat = '15s',
}: {
  name: string;
  labels?: Record<string, string>;
  taints?: Json[];
  unschedulable?: boolean;
  conditions?: Record<string, { status: string; reason: string; message: string; since?: string }>;
  heartbeat?: string;
}): Obj {
  const defaults: Record<string, { status: string; reason: string; message: string }> = {
    MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  };
  const index = name.replace(/\D/g, '') || '9';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...labels } },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(taints === undefined ? {} : { taints }),
      ...(unschedulable === undefined ? {} : { unschedulable }),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      capacity: { cpu: '4', memory: '16393892Ki', pods: '110', 'ephemeral-storage': '101445540Ki' },
      allocatable: { cpu: '3920m', memory: '15242916Ki', pods: '110', 'ephemeral-storage': '93492209510' },
      conditions: Object.entries({ ...defaults, ...conditions }).map(([type, c]) => ({
        type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastHeartbeatTime: ago(heartbeat),
        lastTransitionTime: ago('since' in c && typeof c.since === 'string' ? c.since : '30d'),
      })),
      nodeInfo: {
        machineID: `6b1f0c2a9d8e4f7b8a3c5d2e1f0a9b8${index}`,
        systemUUID: `6b1f0c2a-9d8e-4f7b-8a3c-5d2e1f0a9b8${index}`,
        bootID: `3f2e1d0c-b9a8-4765-8432-10fedcba987${index}`,
        kernelVersion: '6.1.0-28-cloud-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.13',
        kubeProxyVersion: 'v1.32.13',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Log lines stamped like a container runtime's, oldest first, ending `endAgoSeconds` ago. */
export function stampedLines(lines: string[], endAgoSeconds = 60): string {
  const end = Date.UTC(2026, 0, 15, 9, 30, 0) - endAgoSeconds * 1000;
  return lines.map((line, i) => `${new Date(end - (lines.length - 1 - i) * 1500).toISOString()} ${line}`).join('\n') + '\n';
}
