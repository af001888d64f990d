import type { V1PodTemplateSpec } from '@kubernetes/client-node';

/**
 * Objects as the API server's JSON carries them (read through getJson): timestamps are RFC 3339 strings,
 * not the Dates client-node's typed models claim. Only the fields the change derivation reads.
 */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface RawMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { uid: string; controller?: boolean; kind?: string; name?: string }[];
  managedFields?: ManagedFieldsEntry[];
}

export interface RawObject {
  kind?: string;
  metadata?: RawMeta;
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet. */
export interface RawWorkload extends RawObject {
  spec?: { replicas?: number; revisionHistoryLimit?: number; progressDeadlineSeconds?: number; template?: V1PodTemplateSpec };
}

export interface RawControllerRevision extends RawObject {
  revision?: number;
  /** For StatefulSets and DaemonSets: a patch `{ spec: { template: … } }`. */
  data?: { spec?: { template?: V1PodTemplateSpec } };
}

export interface RawNode extends RawObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string; timeAdded?: string }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; lastTransitionTime?: string }[] };
}

export interface RawEvent extends RawObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  count?: number;
}

export interface RawHorizontalPodAutoscaler extends RawObject {
  spec?: { scaleTargetRef?: { kind?: string; name?: string } };
}

/** Argo CD Application, Flux Kustomization and HelmRelease: read loosely, their schemas vary by version. */
export interface RawCustomObject extends RawObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export const nameOf = (object: RawObject): string => object.metadata?.name ?? '';
export const namespaceOf = (object: RawObject): string | undefined => object.metadata?.namespace;
