import type { V1CronJob, V1HorizontalPodAutoscaler, V1Job, V1LabelSelector, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { labelSelectorString } from '../../kube/label-selector.ts';
import { refOf, timeOf, type KubeObject } from '../kube-object.ts';
import type { GraphReader } from './graph-reader.ts';
import { choosePods } from './choose-pods.ts';

type Object<T> = T & KubeObject;

/** A Deployment: its ReplicaSets (newest revision first) and their pods; the newest ReplicaSet's events. */
export async function walkDeployment(
  reader: GraphReader,
  deployment: KubeObject & { spec?: { selector?: V1LabelSelector } },
): Promise<void> {
  const namespace = deployment.metadata?.namespace ?? '';
  const selector = labelSelectorString(deployment.spec?.selector);
  const [replicaSets, pods] = await Promise.all([
    reader.list<Object<V1ReplicaSet>>('ReplicaSet', { namespace, labelSelector: selector }),
    reader.list<Object<V1Pod>>('Pod', { namespace, labelSelector: selector }),
  ]);
  const owned = (replicaSets ?? []).filter((rs) => controlledBy(rs, deployment)).sort((a, b) => revision(b) - revision(a));
  reader.ev.setList('replicaSets', owned);
  const uids = new Set(owned.map((rs) => rs.metadata?.uid));
  choosePods(
    reader.ev,
    (pods ?? []).filter((pod) => (pod.metadata?.ownerReferences ?? []).some((r) => r.controller === true && uids.has(r.uid))),
  );
  reader.involve(refOf(deployment, 'Deployment'));
  const newest = owned[0];
  if (newest !== undefined) reader.involve(refOf(newest, 'ReplicaSet'));
}

/** A ReplicaSet, StatefulSet or DaemonSet: the pods it controls. */
export async function walkPodController(
  reader: GraphReader,
  controller: KubeObject & { spec?: { selector?: V1LabelSelector } },
  kind: string,
): Promise<void> {
  const namespace = controller.metadata?.namespace ?? '';
  const pods = await reader.list<Object<V1Pod>>('Pod', { namespace, labelSelector: labelSelectorString(controller.spec?.selector) });
  choosePods(
    reader.ev,
    (pods ?? []).filter((pod) => controlledBy(pod, controller)),
  );
  reader.involve(refOf(controller, kind));
  const owner = controllerRef(controller);
  if (kind === 'ReplicaSet' && owner?.kind === 'Deployment' && owner.name !== undefined)
    await reader.read({ kind: 'Deployment', namespace, name: owner.name });
}

/** A Job: its pods, newest (the last attempts) first. */
export async function walkJob(reader: GraphReader, job: Object<V1Job>): Promise<void> {
  const namespace = job.metadata?.namespace ?? '';
  const pods = await reader.list<Object<V1Pod>>('Pod', {
    namespace,
    labelSelector: labelSelectorString(job.spec?.selector) || `job-name=${job.metadata?.name ?? ''}`,
  });
  choosePods(
    reader.ev,
    (pods ?? []).filter((pod) => controlledBy(pod, job)),
  );
  reader.involve(refOf(job, 'Job'));
}

/** A CronJob: its Jobs (newest first) and the newest Job's pods. */
export async function walkCronJob(reader: GraphReader, cronJob: Object<V1CronJob>): Promise<void> {
  const namespace = cronJob.metadata?.namespace ?? '';
  reader.involve(refOf(cronJob, 'CronJob'));
  const jobs = await reader.list<Object<V1Job>>('Job', { namespace });
  const owned = (jobs ?? [])
    .filter((job) => controlledBy(job, cronJob))
    .sort((a, b) => timeOf(b.metadata?.creationTimestamp) - timeOf(a.metadata?.creationTimestamp));
  reader.ev.setList('jobs', owned);
  const newest = owned[0];
  if (newest !== undefined) await walkJob(reader, newest);
}

/** An autoscaler: its target and the target's pods, and whether the metrics APIs it reads are served. */
export async function walkAutoscaler(reader: GraphReader, hpa: Object<V1HorizontalPodAutoscaler>): Promise<void> {
  const namespace = hpa.metadata?.namespace ?? '';
  reader.involve(refOf(hpa, 'HorizontalPodAutoscaler'));
  const target = hpa.spec?.scaleTargetRef;
  const [served, object] = await Promise.all([
    reader.served('/apis/metrics.k8s.io/v1beta1'),
    target !== undefined && ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(target.kind)
      ? reader.read<KubeObject & { spec?: { selector?: V1LabelSelector } }>({ kind: target.kind, namespace, name: target.name })
      : Promise.resolve(undefined),
  ]);
  reader.ev.metricsApi = served;
  if (object === undefined || target === undefined) return;
  if (target.kind === 'Deployment') await walkDeployment(reader, object);
  else await walkPodController(reader, object, target.kind);
}

export function controllerRef(object: KubeObject): { kind?: string; name?: string; uid?: string } | undefined {
  return (object.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
}

function controlledBy(child: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && controllerRef(child)?.uid === uid;
}

function revision(object: KubeObject): number {
  return Number(object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}
