import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
  type V1ReplicaSet,
  type V1StatefulSet,
} from '@kubernetes/client-node';

/** A fixture object as read from YAML: whatever the kind, with an optional status. */
export type FixtureObject = KubernetesObject & { status?: Record<string, unknown> } & Record<string, unknown>;

/**
 * Creates an object, then writes its status through the status subresource: create ignores status,
 * and no controller or kubelet runs to fill it in. Returns the created object's uid.
 */
export async function createWithStatus(kc: KubeConfig, { status, ...object }: FixtureObject): Promise<string> {
  const created = await KubernetesObjectApi.makeApiClient(kc).create(object);
  const uid = created.metadata?.uid ?? '';
  if (status === undefined) return uid;
  const name = created.metadata?.name ?? '';
  const namespace = created.metadata?.namespace ?? '';
  // Keep what the server filled in (e.g. a pod's qosClass, which may not change).
  const current = (created as { status?: object }).status ?? {};
  const body = { ...created, status: { ...current, ...status } };
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  // The server's own object plus the fixture status; ReplicaSet and StatefulSet models demand a spec
  // that the generic create's return type does not promise, though the server always sends one.
  switch (object.kind) {
    case 'Pod':
      await core.replaceNamespacedPodStatus({ name, namespace, body });
      break;
    case 'Node':
      await core.replaceNodeStatus({ name, body });
      break;
    case 'Deployment':
      await apps.replaceNamespacedDeploymentStatus({ name, namespace, body });
      break;
    case 'ReplicaSet':
      await apps.replaceNamespacedReplicaSetStatus({ name, namespace, body: body as unknown as V1ReplicaSet });
      break;
    case 'StatefulSet':
      await apps.replaceNamespacedStatefulSetStatus({ name, namespace, body: body as unknown as V1StatefulSet });
      break;
    default:
      throw new Error(`fixture ${object.kind ?? '?'}/${name} has a status, but seeding status of that kind is not supported`);
  }
  return uid;
}
