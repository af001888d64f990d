import { createHash } from 'node:crypto';
import { AppsV1Api, type KubeConfig, type V1Deployment, type V1PodTemplateSpec } from '@kubernetes/client-node';

/**
 * Rollouts in the test cluster, which runs no controllers: what `kubectl apply` / `kubectl set image` and then
 * the deployment controller would do — the Deployment's template written by a named field manager, its
 * revision annotation bumped, and a ReplicaSet for the revision, controlled by the Deployment.
 */
export interface SeedRolloutOptions {
  kc: KubeConfig;
  namespace: string;
  name: string;
}

const REVISION = 'deployment.kubernetes.io/revision';

/** Creates the Deployment with revision 1 (and its ReplicaSet). */
export async function createDeployment({
  kc,
  namespace,
  name,
  template,
  replicas = 1,
  fieldManager = 'kubectl-client-side-apply',
}: SeedRolloutOptions & { template: V1PodTemplateSpec; replicas?: number; fieldManager?: string }): Promise<V1Deployment> {
  const apps = kc.makeApiClient(AppsV1Api);
  const labels = template.metadata?.labels ?? { app: name };
  const created = await apps.createNamespacedDeployment({
    namespace,
    fieldManager,
    body: {
      metadata: { name, labels, annotations: { [REVISION]: '1' } },
      spec: { replicas, selector: { matchLabels: labels }, template: { ...template, metadata: { ...template.metadata, labels } } },
    },
  });
  await createRevision(kc, created, 1);
  return created;
}

/** Changes the Deployment's pod template as `fieldManager`, and makes the next revision's ReplicaSet. Returns that revision. */
export async function rollOut({
  kc,
  namespace,
  name,
  change,
  fieldManager,
  changeCause,
}: SeedRolloutOptions & {
  change: (template: V1PodTemplateSpec) => V1PodTemplateSpec;
  fieldManager: string;
  changeCause?: string;
}): Promise<number> {
  const apps = kc.makeApiClient(AppsV1Api);
  const current = await apps.readNamespacedDeployment({ namespace, name });
  const revision = Number(current.metadata?.annotations?.[REVISION] ?? '0') + 1;
  const template = change(structuredClone(current.spec?.template ?? {}));
  const updated = await apps.replaceNamespacedDeployment({
    namespace,
    name,
    fieldManager,
    body: {
      ...current,
      metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, [REVISION]: String(revision) } },
      spec: { ...current.spec, selector: current.spec?.selector ?? {}, template },
    },
  });
  await createRevision(kc, updated, revision, changeCause);
  return revision;
}

/** A ReplicaSet of the Deployment's current template, as the deployment controller names and labels it. */
async function createRevision(kc: KubeConfig, deployment: V1Deployment, revision: number, changeCause?: string): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const template = deployment.spec?.template ?? {};
  const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').replace(/[0-9]/g, '').slice(0, 10).padEnd(10, 'x');
  const labels = { ...template.metadata?.labels, 'pod-template-hash': hash };
  await apps.createNamespacedReplicaSet({
    namespace: deployment.metadata?.namespace ?? '',
    fieldManager: 'kube-controller-manager',
    body: {
      metadata: {
        name: `${deployment.metadata?.name ?? ''}-${hash}`,
        labels,
        annotations: { [REVISION]: String(revision), ...(changeCause === undefined ? {} : { 'kubernetes.io/change-cause': changeCause }) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment.metadata?.name ?? '',
            uid: deployment.metadata?.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: deployment.spec?.replicas ?? 1,
        selector: { matchLabels: labels },
        template: { ...template, metadata: { ...template.metadata, labels } },
      },
    },
  });
}
