import type { EvidenceKind } from './evidence.ts';

/** Where a built-in kind lives in the API, and which evidence it counts as. */
export interface KindInfo {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  evidence: EvidenceKind;
}

/** The built-in kinds the walk reads. Anything else (a CRD) is read through discovery. */
export const BUILT_IN_KINDS: Record<string, KindInfo> = {
  Pod: { apiVersion: 'v1', plural: 'pods', namespaced: true, evidence: 'pods' },
  Node: { apiVersion: 'v1', plural: 'nodes', namespaced: false, evidence: 'nodes' },
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false, evidence: 'workloads' },
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true, evidence: 'services' },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', namespaced: true, evidence: 'configmaps' },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true, evidence: 'secrets' },
  PersistentVolumeClaim: { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true, evidence: 'storage' },
  PersistentVolume: { apiVersion: 'v1', plural: 'persistentvolumes', namespaced: false, evidence: 'storage' },
  ResourceQuota: { apiVersion: 'v1', plural: 'resourcequotas', namespaced: true, evidence: 'quotas' },
  Event: { apiVersion: 'v1', plural: 'events', namespaced: true, evidence: 'events' },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true, evidence: 'workloads' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true, evidence: 'workloads' },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true, evidence: 'workloads' },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true, evidence: 'workloads' },
  Job: { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, evidence: 'workloads' },
  CronJob: { apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true, evidence: 'workloads' },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true, evidence: 'autoscalers' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true, evidence: 'disruptionbudgets' },
  Ingress: { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true, evidence: 'ingresses' },
  IngressClass: { apiVersion: 'networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false, evidence: 'ingresses' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true, evidence: 'networkpolicies' },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true, evidence: 'endpointslices' },
  StorageClass: { apiVersion: 'storage.k8s.io/v1', plural: 'storageclasses', namespaced: false, evidence: 'storage' },
};

/** The group of an apiVersion: "" for the core group. */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/** The URL path of a built-in kind's collection (in a namespace, or across all) or of one object. */
export function builtInPath(kind: string, { namespace, name }: { namespace?: string | undefined; name?: string | undefined } = {}): string {
  const info = BUILT_IN_KINDS[kind];
  if (info === undefined) throw new Error(`not a built-in kind the walk knows: ${kind}`);
  const root = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const scope = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${info.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
