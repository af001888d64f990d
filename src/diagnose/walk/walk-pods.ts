import type { V1Container, V1Node, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { conditionOf, refOf, type KubeObject } from '../kube-object.ts';
import type { GraphReader } from './graph-reader.ts';
import { readPodLogs } from './read-logs.ts';

/**
 * Follows the examined pods' edges: Pod → Node (and every node, when a pod cannot be scheduled),
 * Pod → PersistentVolumeClaim → StorageClass / PersistentVolumes, Pod → the ConfigMaps and Secrets
 * it references (existence and key names only), and the logs of its failing containers.
 */
export async function walkPods(reader: GraphReader): Promise<void> {
  const pods = reader.ev.examined;
  for (const pod of pods) reader.involve(refOf(pod, 'Pod'));
  const unscheduled = pods.some((pod) => pod.spec?.nodeName === undefined && conditionOf(pod, 'PodScheduled')?.status === 'False');
  await Promise.all([
    walkNodes(reader, pods),
    unscheduled ? reader.list('Node', { as: 'nodes' }) : Promise.resolve(undefined),
    ...pods.map((pod) => walkClaims(reader, pod)),
    walkConfigs(reader, pods),
    ...pods.map((pod) => readPodLogs(reader, pod)),
  ]);
}

async function walkNodes(reader: GraphReader, pods: V1Pod[]): Promise<void> {
  const names = [...new Set(pods.flatMap((pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : [])))];
  const nodes = await Promise.all(names.map((name) => reader.read<V1Node & KubeObject>({ kind: 'Node', name })));
  // A node in trouble has events worth reading (NodeNotReady, EvictionThresholdMet); a healthy one does not.
  for (const node of nodes) if (node !== undefined && nodeInTrouble(node)) reader.involve(refOf(node, 'Node'));
}

export function nodeInTrouble(node: V1Node): boolean {
  return (
    (node.status?.conditions ?? []).some((c) => (c.type === 'Ready' ? c.status !== 'True' : c.status === 'True')) ||
    node.spec?.unschedulable === true
  );
}

async function walkClaims(reader: GraphReader, pod: V1Pod): Promise<void> {
  const namespace = pod.metadata?.namespace ?? '';
  const claims = (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  await Promise.all(
    claims.map(async (name) => {
      const claim = await reader.read<V1PersistentVolumeClaim & KubeObject>({ kind: 'PersistentVolumeClaim', namespace, name });
      if (claim !== undefined) await walkClaim(reader, claim);
    }),
  );
}

/** A claim's StorageClass, and when it is unbound, the classes and volumes it could have used. */
export async function walkClaim(reader: GraphReader, claim: V1PersistentVolumeClaim & KubeObject): Promise<void> {
  reader.involve(refOf(claim, 'PersistentVolumeClaim'));
  const className = claim.spec?.storageClassName;
  const reads: Promise<unknown>[] = [];
  if (className !== undefined && className !== '') reads.push(reader.read({ kind: 'StorageClass', name: className }));
  if (claim.status?.phase === 'Pending') {
    reads.push(reader.list('StorageClass', { as: 'storageClasses' }));
    if (className === undefined || className === '') reads.push(reader.list('PersistentVolume', { as: 'persistentVolumes' }));
  } else if (claim.spec?.volumeName) reads.push(reader.read({ kind: 'PersistentVolume', name: claim.spec.volumeName }));
  await Promise.all(reads);
}

interface ConfigReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** Only existence is needed (image pull and TLS secrets): read metadata, never the data. */
  metadataOnly: boolean;
}

/** Every ConfigMap and Secret a pod's containers and volumes reference, and its pull secrets. */
export function configReferences(pod: V1Pod): ConfigReference[] {
  const refs: ConfigReference[] = [];
  const containers: V1Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) refs.push({ kind: 'ConfigMap', name: e.valueFrom.configMapKeyRef.name, metadataOnly: false });
      if (e.valueFrom?.secretKeyRef?.name) refs.push({ kind: 'Secret', name: e.valueFrom.secretKeyRef.name, metadataOnly: false });
    }
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef?.name) refs.push({ kind: 'ConfigMap', name: from.configMapRef.name, metadataOnly: false });
      if (from.secretRef?.name) refs.push({ kind: 'Secret', name: from.secretRef.name, metadataOnly: false });
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) refs.push({ kind: 'ConfigMap', name: v.configMap.name, metadataOnly: false });
    if (v.secret?.secretName) refs.push({ kind: 'Secret', name: v.secret.secretName, metadataOnly: false });
    for (const source of v.projected?.sources ?? []) {
      if (source.configMap?.name) refs.push({ kind: 'ConfigMap', name: source.configMap.name, metadataOnly: false });
      if (source.secret?.name) refs.push({ kind: 'Secret', name: source.secret.name, metadataOnly: false });
    }
  }
  for (const s of pod.spec?.imagePullSecrets ?? []) if (s.name) refs.push({ kind: 'Secret', name: s.name, metadataOnly: true });
  return refs;
}

async function walkConfigs(reader: GraphReader, pods: V1Pod[]): Promise<void> {
  const wanted = new Map<string, ConfigReference & { namespace: string }>();
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    for (const ref of configReferences(pod)) {
      const key = `${ref.kind}/${namespace}/${ref.name}`;
      const seen = wanted.get(key);
      // A full read (for key names) wins over a metadata-only one.
      if (seen === undefined || (seen.metadataOnly && !ref.metadataOnly)) wanted.set(key, { ...ref, namespace });
    }
  }
  await Promise.all([...wanted.values()].map((ref) => readConfig(reader, ref)));
  // Something referenced is missing: list what is there, for the near misses ("api-tls-2025").
  const missingIn = (kind: 'ConfigMap' | 'Secret') =>
    new Set(
      [...wanted.values()]
        .filter((r) => r.kind === kind && reader.ev.lookup({ kind, namespace: r.namespace, name: r.name }) === 'missing')
        .map((r) => r.namespace),
    );
  await Promise.all([
    ...[...missingIn('ConfigMap')].map((namespace) => reader.list('ConfigMap', { namespace, metadataOnly: true, as: 'configMapNames' })),
    ...[...missingIn('Secret')].map((namespace) => reader.list('Secret', { namespace, metadataOnly: true, as: 'secretNames' })),
  ]);
}

/**
 * Reads a ConfigMap or Secret and keeps only its key names: a Secret's values are parsed here (the API
 * has no keys-only read) and dropped at once, never stored in the evidence.
 */
async function readConfig(
  reader: GraphReader,
  { kind, namespace, name, metadataOnly }: ConfigReference & { namespace: string },
): Promise<void> {
  const ref = { kind, namespace, name };
  if (metadataOnly) {
    await reader.read(ref, { metadataOnly: true });
    return;
  }
  const object = await reader.read<
    KubeObject & { data?: Record<string, unknown>; binaryData?: Record<string, unknown>; stringData?: Record<string, unknown> }
  >(ref);
  if (object === undefined) return;
  const keys = [...Object.keys(object.data ?? {}), ...Object.keys(object.binaryData ?? {})].sort();
  reader.ev.setConfig(ref, { kind, keys });
  // The reader keeps a Secret's name and labels only; a ConfigMap's data is not needed either.
  if (kind === 'ConfigMap') reader.ev.add({ apiVersion: 'v1', kind, metadata: { name, namespace, labels: object.metadata?.labels } }, kind);
}
