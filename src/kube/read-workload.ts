import type { V1CronJob, V1DaemonSet, V1Deployment, V1Job, V1Pod, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';
import { callKube } from './call-kube.ts';
import type { KubeClient } from './create-kube-client.ts';
import { getJson } from './get-json.ts';
import { labelSelectorString } from './label-selector.ts';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export type Workload =
  | { kind: 'Deployment'; object: V1Deployment }
  | { kind: 'StatefulSet'; object: V1StatefulSet }
  | { kind: 'DaemonSet'; object: V1DaemonSet }
  | { kind: 'Job'; object: V1Job }
  | { kind: 'CronJob'; object: V1CronJob };

export interface ReadWorkloadOptions {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/**
 * Reads one workload. Batch objects come through getJson (the KubeClient has no batch API), so their
 * timestamps are ISO strings rather than Dates; formatAge takes either.
 */
export async function readWorkload(kube: KubeClient, { kind, namespace, name }: ReadWorkloadOptions): Promise<Workload> {
  switch (kind) {
    case 'Deployment':
      return { kind, object: await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })) };
    case 'StatefulSet':
      return { kind, object: await callKube(kube, () => kube.apps.readNamespacedStatefulSet({ namespace, name })) };
    case 'DaemonSet':
      return { kind, object: await callKube(kube, () => kube.apps.readNamespacedDaemonSet({ namespace, name })) };
    case 'Job':
      return {
        kind,
        object: await getJson<V1Job>(kube, { path: `/apis/batch/v1/namespaces/${namespace}/jobs/${encodeURIComponent(name)}` }),
      };
    case 'CronJob':
      return {
        kind,
        object: await getJson<V1CronJob>(kube, { path: `/apis/batch/v1/namespaces/${namespace}/cronjobs/${encodeURIComponent(name)}` }),
      };
  }
}

/** A Deployment's ReplicaSets (those it controls), newest revision first. */
export async function ownedReplicaSets(kube: KubeClient, deployment: V1Deployment): Promise<V1ReplicaSet[]> {
  const namespace = deployment.metadata?.namespace ?? '';
  const list = await callKube(kube, () =>
    kube.apps.listNamespacedReplicaSet({ namespace, labelSelector: labelSelectorString(deployment.spec?.selector), limit: 500 }),
  );
  return list.items
    .filter((rs) => controlledBy(rs.metadata?.ownerReferences, deployment.metadata?.uid))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

/** A CronJob's Jobs, newest first. */
export async function ownedJobs(kube: KubeClient, cronJob: V1CronJob): Promise<V1Job[]> {
  const namespace = cronJob.metadata?.namespace ?? '';
  const list = await getJson<{ items?: V1Job[] }>(kube, { path: `/apis/batch/v1/namespaces/${namespace}/jobs`, query: { limit: 500 } });
  const started = (job: V1Job) => new Date(job.metadata?.creationTimestamp ?? 0).getTime();
  return (list.items ?? [])
    .filter((job) => controlledBy(job.metadata?.ownerReferences, cronJob.metadata?.uid))
    .sort((a, b) => started(b) - started(a));
}

/** The pods a workload runs: selected by its selector and controlled by it (through its ReplicaSets or Jobs). */
export async function workloadPods(kube: KubeClient, workload: Workload): Promise<V1Pod[]> {
  const namespace = workload.object.metadata?.namespace ?? '';
  let owners: Set<string>;
  let labelSelector: string | undefined;
  if (workload.kind === 'Deployment') {
    const replicaSets = await ownedReplicaSets(kube, workload.object);
    owners = new Set(replicaSets.map((rs) => rs.metadata?.uid ?? ''));
    labelSelector = labelSelectorString(workload.object.spec?.selector);
  } else if (workload.kind === 'CronJob') {
    const jobs = await ownedJobs(kube, workload.object);
    owners = new Set(jobs.map((job) => job.metadata?.uid ?? ''));
    if (owners.size === 0) return [];
  } else {
    owners = new Set([workload.object.metadata?.uid ?? '']);
    labelSelector = labelSelectorString(workload.object.spec?.selector);
  }
  const list = await callKube(kube, () =>
    kube.core.listNamespacedPod({ namespace, labelSelector: labelSelector || undefined, limit: 500 }),
  );
  return list.items.filter((pod) => (pod.metadata?.ownerReferences ?? []).some((r) => r.controller === true && owners.has(r.uid)));
}

function controlledBy(references: { controller?: boolean; uid: string }[] | undefined, uid: string | undefined): boolean {
  return uid !== undefined && (references ?? []).some((r) => r.controller === true && r.uid === uid);
}

export function revisionOf(object: { metadata?: { annotations?: Record<string, string> } }): number {
  return Number(object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}
