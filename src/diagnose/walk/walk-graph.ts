import type {
  V1CronJob,
  V1LabelSelector,
  V1HorizontalPodAutoscaler,
  V1Ingress,
  V1Job,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/create-kube-client.ts';
import { getJson } from '../../kube/get-json.ts';
import { resourcePath, type ApiResource } from '../../kube/resolve-resource.ts';
import { BUILT_IN_KINDS, groupOf } from '../api-kinds.ts';
import { Evidence } from '../evidence.ts';
import { refOf, type KubeObject, type ObjectRef } from '../kube-object.ts';
import { choosePods } from './choose-pods.ts';
import { GraphReader } from './graph-reader.ts';
import { readEvents } from './read-events.ts';
import { walkIngress, walkService } from './walk-network.ts';
import { walkClaim, walkPods } from './walk-pods.ts';
import { controllerRef, walkAutoscaler, walkCronJob, walkDeployment, walkJob, walkPodController } from './walk-workloads.ts';

export interface WalkGraphOptions {
  kube: KubeClient;
  /** The resolved resource type of the subject (discovery), and the subject's namespace and name. */
  resource: ApiResource;
  namespace?: string | undefined;
  name: string;
  deniesKind?: ((kind: string) => boolean) | undefined;
  now?: Date;
}

type Object<T> = T & KubeObject;
type Selecting = KubeObject & { spec?: { selector?: V1LabelSelector } };

/**
 * Reads the part of the cluster that can explain the subject: from the subject along its edges
 * (owner → pods, Service → EndpointSlices → pods, Ingress → Service → pods, HPA → target → pods,
 * Node → pods → disruption budgets, Namespace → pods), then from the pods worth a look (→ Node,
 * → PVC → StorageClass/PV, → ConfigMaps/Secrets, → logs), then the events of everything involved.
 * A subject that cannot be read fails the call (KubeError); anything else unreadable becomes a gap.
 */
export async function walkGraph({ kube, resource, namespace, name, deniesKind, now = new Date() }: WalkGraphOptions): Promise<Evidence> {
  const kind = resource.kind;
  const subject: ObjectRef = { kind, ...(resource.namespaced && namespace !== undefined ? { namespace } : {}), name };
  const ev = new Evidence(subject, now);
  const reader = new GraphReader({ kube, ev, deniesKind });
  const object = await getJson<KubeObject>(kube, { path: resourcePath(resource, { namespace: subject.namespace, name }) });
  ev.add(object, kind);
  const info = BUILT_IN_KINDS[kind];
  const builtIn = info !== undefined && groupOf(info.apiVersion) === resource.group;
  if (!builtIn) reader.involve(subject);
  else await walkSubject(reader, kind, object);
  await walkPods(reader);
  await readEvents(reader);
  return ev;
}

async function walkSubject(reader: GraphReader, kind: string, object: KubeObject): Promise<void> {
  switch (kind) {
    case 'Pod':
      return walkPod(reader, object as Object<V1Pod>);
    case 'Deployment':
      await reader.list('ResourceQuota', { namespace: object.metadata?.namespace, as: 'quotas' });
      return walkDeployment(reader, object as Selecting);
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      await reader.list('ResourceQuota', { namespace: object.metadata?.namespace, as: 'quotas' });
      return walkPodController(reader, object as Selecting, kind);
    case 'Job':
      return walkJob(reader, object as Object<V1Job>);
    case 'CronJob':
      return walkCronJob(reader, object as Object<V1CronJob>);
    case 'HorizontalPodAutoscaler':
      return walkAutoscaler(reader, object as Object<V1HorizontalPodAutoscaler>);
    case 'Service':
      return walkService(reader, object as Object<V1Service>);
    case 'Ingress':
      return walkIngress(reader, object as Object<V1Ingress>);
    case 'PersistentVolumeClaim':
      return walkClaimSubject(reader, object as Object<V1PersistentVolumeClaim>);
    case 'Node':
      return walkNode(reader, object as Object<V1Node>);
    case 'Namespace':
      return walkNamespace(reader, object);
    default:
      reader.involve(refOf(object, kind));
  }
}

/** A pod: always examined, whatever its containers say; its owners for context. */
async function walkPod(reader: GraphReader, pod: Object<V1Pod>): Promise<void> {
  choosePods(reader.ev, [pod], { always: true });
  const namespace = pod.metadata?.namespace ?? '';
  let owner = controllerRef(pod);
  for (
    let depth = 0;
    depth < 2 && owner?.kind !== undefined && owner.name !== undefined && BUILT_IN_KINDS[owner.kind]?.namespaced === true;
    depth++
  ) {
    const read: KubeObject | undefined = await reader.read({ kind: owner.kind, namespace, name: owner.name });
    owner = read === undefined ? undefined : controllerRef(read);
  }
}

async function walkClaimSubject(reader: GraphReader, claim: Object<V1PersistentVolumeClaim>): Promise<void> {
  const namespace = claim.metadata?.namespace ?? '';
  const [pods] = await Promise.all([reader.list<Object<V1Pod>>('Pod', { namespace }), walkClaim(reader, claim)]);
  const users = (pods ?? []).filter((pod) =>
    (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata?.name),
  );
  choosePods(reader.ev, users);
}

/** A node: the pods on it, and when it is cordoned, the disruption budgets that may hold its drain. */
async function walkNode(reader: GraphReader, node: Object<V1Node>): Promise<void> {
  reader.involve(refOf(node, 'Node'));
  const [pods] = await Promise.all([
    reader.list<Object<V1Pod>>('Pod', { fieldSelector: `spec.nodeName=${node.metadata?.name ?? ''}` }),
    node.spec?.unschedulable === true ? reader.list('PodDisruptionBudget', { as: 'disruptionBudgets' }) : Promise.resolve(undefined),
  ]);
  choosePods(reader.ev, pods ?? []);
}

async function walkNamespace(reader: GraphReader, namespace: KubeObject): Promise<void> {
  const name = namespace.metadata?.name ?? '';
  reader.involve(refOf(namespace, 'Namespace'));
  const [pods] = await Promise.all([
    reader.list<Object<V1Pod>>('Pod', { namespace: name }),
    reader.list('ResourceQuota', { namespace: name, as: 'quotas' }),
  ]);
  choosePods(reader.ev, pods ?? []);
}
