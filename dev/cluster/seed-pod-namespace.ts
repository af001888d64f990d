import { Agent } from 'node:https';
import {
  CoreV1Api,
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
  type RequestContext,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';

/** How the generated pods are spread over states, per 50 pods (roughly what a busy namespace shows). */
const MIX: [state: PodState, per50: number][] = [
  ['Running', 40],
  ['NotReady', 1],
  ['CrashLoopBackOff', 3],
  ['ImagePullBackOff', 1],
  ['OOMKilled', 1],
  ['Pending', 2],
  ['Completed', 2],
];
type PodState = 'Running' | 'NotReady' | 'CrashLoopBackOff' | 'ImagePullBackOff' | 'OOMKilled' | 'Pending' | 'Completed';

export interface SeededPods {
  names: string[];
  /** How many pods of each state (the name kubectl's STATUS column shows, except NotReady: Running 0/1). */
  byState: Record<PodState, number>;
}

/**
 * Creates `count` pods in `namespace` (created if missing) with a realistic mix of states, for
 * benchmarks and list-size tests. Each pod costs two requests (create, then status), run
 * `concurrency` at a time.
 */
export async function seedPodNamespace({
  kubeconfigPath,
  namespace,
  count,
  concurrency = 32,
}: {
  kubeconfigPath: string;
  namespace: string;
  count: number;
  concurrency?: number;
}): Promise<SeededPods> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext('admin');
  const { core, close } = keepAliveClient(kc);
  await core
    .createNamespace({ body: { metadata: { name: namespace, labels: { 'ai4k8s.test/generated': 'true' } } } })
    .catch((error: unknown) => {
      if ((error as { code?: number }).code !== 409) throw error;
    });
  const plan = Array.from({ length: count }, (_, index) => ({ index, state: stateOf(index) }));
  const names: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const item = plan[next++];
      if (item === undefined) break;
      const { pod, status } = podFor(namespace, item.index, item.state);
      const created = await core.createNamespacedPod({ namespace, body: pod });
      await core.replaceNamespacedPodStatus({
        namespace,
        name: created.metadata?.name ?? '',
        body: { ...created, status: { ...created.status, ...status } },
      });
      names[item.index] = created.metadata?.name ?? '';
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  } finally {
    close();
  }
  const byState = Object.fromEntries(MIX.map(([state]) => [state, 0])) as Record<PodState, number>;
  for (const { state } of plan) byState[state]++;
  return { names, byState };
}

/**
 * client-node gives every request a fresh https.Agent, so each one pays a TLS handshake. A middleware
 * that swaps in one keep-alive agent (same CA and token) makes bulk seeding about twice as fast.
 */
function keepAliveClient(kc: KubeConfig): { core: CoreV1Api; close: () => void } {
  const server = kc.getCurrentCluster()?.server ?? '';
  let shared: Agent | undefined;
  const reuseAgent = (context: RequestContext): Promise<RequestContext> => {
    const own = context.getAgent();
    shared ??= new Agent({ ...(own instanceof Agent ? own.options : {}), keepAlive: true, maxSockets: 64 });
    context.setAgent(shared);
    return Promise.resolve(context);
  };
  const core = new CoreV1Api(
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [{ pre: reuseAgent, post: (response) => Promise.resolve(response) }],
    }),
  );
  return { core, close: () => shared?.destroy() };
}

function stateOf(index: number): PodState {
  let slot = index % 50;
  for (const [state, per50] of MIX) {
    if (slot < per50) return state;
    slot -= per50;
  }
  return 'Running';
}

function podFor(namespace: string, index: number, state: PodState): { pod: V1Pod; status: V1PodStatus } {
  const app = `svc-${String(index % 40).padStart(2, '0')}`;
  const name = `${app}-7c9d8f6b5-${index.toString(36).padStart(5, '0')}`;
  const image = `registry.example.com/${namespace}/${app}:1.${index % 7}.0`;
  const node = index % 2 === 0 ? 'node-1' : 'node-2';
  const now = Date.now();
  const at = (agoSeconds: number): Date => new Date(Math.floor((now - agoSeconds * 1000) / 1000) * 1000);
  const pod: V1Pod = {
    metadata: { name, namespace, labels: { app, 'ai4k8s.test/state': state } },
    spec: {
      ...(state === 'Pending' ? {} : { nodeName: node }),
      containers: [{ name: 'app', image, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
    },
  };
  const condition = (type: string, ok: boolean, reason?: string) => ({
    type,
    status: ok ? 'True' : 'False',
    lastTransitionTime: at(3600),
    ...(reason === undefined ? {} : { reason }),
  });
  if (state === 'Pending') {
    return {
      pod,
      status: {
        phase: 'Pending',
        conditions: [
          {
            ...condition('PodScheduled', false, 'Unschedulable'),
            message: '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu.',
          },
        ],
      },
    };
  }
  const ready = state === 'Running';
  const base = {
    name: 'app',
    image,
    imageID: `${image.split(':')[0] ?? image}@sha256:${'0'.repeat(64)}`,
    ready,
    started: ready || state === 'NotReady',
  };
  const containerStatus = {
    Running: { ...base, restartCount: 0, state: { running: { startedAt: at(3600) } } },
    NotReady: { ...base, restartCount: 0, state: { running: { startedAt: at(600) } } },
    CrashLoopBackOff: {
      ...base,
      restartCount: 5 + (index % 20),
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=app pod=${name}_${namespace}` } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at(200), finishedAt: at(190) } },
    },
    ImagePullBackOff: {
      ...base,
      imageID: '',
      restartCount: 0,
      state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
    },
    OOMKilled: {
      ...base,
      restartCount: 2,
      state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(300), finishedAt: at(60) } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(900), finishedAt: at(320) } },
    },
    Completed: {
      ...base,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(3600), finishedAt: at(3500) } },
    },
  }[state];
  const phase = {
    Running: 'Running',
    NotReady: 'Running',
    CrashLoopBackOff: 'Running',
    ImagePullBackOff: 'Pending',
    OOMKilled: 'Failed',
    Completed: 'Succeeded',
  }[state];
  return {
    pod,
    status: {
      phase,
      hostIP: '127.0.0.1',
      podIP: `10.244.${node === 'node-1' ? 1 : 2}.${(index % 250) + 2}`,
      startTime: at(3600),
      conditions: [
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      containerStatuses: [containerStatus],
    },
  };
}
