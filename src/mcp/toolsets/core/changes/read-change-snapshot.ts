import type { KubeClient } from '../../../../kube/create-kube-client.ts';
import { KubeForbiddenError, KubeNotFoundError } from '../../../../kube/errors.ts';
import { getJson } from '../../../../kube/get-json.ts';
import type {
  RawControllerRevision,
  RawCustomObject,
  RawEvent,
  RawHorizontalPodAutoscaler,
  RawNode,
  RawObject,
  RawWorkload,
} from './raw-objects.ts';

/** Everything the change derivation reads, fetched once per call; what could not be read is said in `unknown`. */
export interface ChangeSnapshot {
  deployments: RawWorkload[];
  statefulSets: RawWorkload[];
  daemonSets: RawWorkload[];
  replicaSets: RawWorkload[];
  controllerRevisions: RawControllerRevision[];
  services: RawObject[];
  /** Metadata only: names, labels, timestamps and managedFields (which name the data keys), never the data. */
  configMaps: RawObject[];
  /** Metadata only, as for ConfigMaps: a Secret's values are never fetched. Helm's release Secrets are among them. */
  secrets: RawObject[];
  horizontalPodAutoscalers: RawHorizontalPodAutoscaler[];
  /** HPA decisions (reason SuccessfulRescale). */
  rescaleEvents: RawEvent[];
  /** The deployment controller's scaling (reason ScalingReplicaSet): what dates a `kubectl scale`. */
  scalingEvents: RawEvent[];
  /** Only for a cluster-wide call. */
  nodes: RawNode[];
  argoApplications: RawCustomObject[];
  fluxKustomizations: RawCustomObject[];
  fluxHelmReleases: RawCustomObject[];
  unknown: string[];
}

/** One page: a list call the size of this leaves a note when more items exist. */
const PAGE = 500;
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

interface ListSpec {
  /** What the note calls it: "ConfigMaps". */
  what: string;
  /** API group path: /api/v1, /apis/apps/v1. */
  base: string;
  resource: string;
  /** Cluster-scoped resources ignore it. */
  namespace: string | undefined;
  clusterScoped?: boolean;
  metadataOnly?: boolean;
  fieldSelector?: string;
}

/**
 * Reads the objects changes are derived from, in one namespace or all. A kind the identity may not read
 * (RBAC) or whose API is missing becomes a note instead of failing the whole call: the other kinds still tell
 * what changed. An unreachable cluster still fails (every read would).
 */
export async function readChangeSnapshot(kube: KubeClient, { namespace }: { namespace: string | undefined }): Promise<ChangeSnapshot> {
  const unknown: string[] = [];
  const list = <T>(spec: ListSpec) => listObjects<T>(kube, spec, unknown);
  const apps = (resource: string, what: string) => list<RawWorkload>({ what, base: '/apis/apps/v1', resource, namespace });
  const metadata = (resource: string, what: string) => list<RawObject>({ what, base: '/api/v1', resource, namespace, metadataOnly: true });
  const events = (reason: string) =>
    list<RawEvent>({ what: 'Events', base: '/api/v1', resource: 'events', namespace, fieldSelector: `reason=${reason}` });
  const [objects, gitops] = await Promise.all([
    allOf({
      deployments: apps('deployments', 'Deployments'),
      statefulSets: apps('statefulsets', 'StatefulSets'),
      daemonSets: apps('daemonsets', 'DaemonSets'),
      replicaSets: apps('replicasets', 'ReplicaSets'),
      controllerRevisions: list<RawControllerRevision>({
        what: 'ControllerRevisions',
        base: '/apis/apps/v1',
        resource: 'controllerrevisions',
        namespace,
      }),
      services: metadata('services', 'Services'),
      configMaps: metadata('configmaps', 'ConfigMaps'),
      secrets: metadata('secrets', 'Secrets'),
      horizontalPodAutoscalers: list<RawHorizontalPodAutoscaler>({
        what: 'HorizontalPodAutoscalers',
        base: '/apis/autoscaling/v2',
        resource: 'horizontalpodautoscalers',
        namespace,
      }),
      rescaleEvents: events('SuccessfulRescale'),
      scalingEvents: events('ScalingReplicaSet'),
      nodes:
        namespace === undefined
          ? list<RawNode>({ what: 'Nodes', base: '/api/v1', resource: 'nodes', namespace, clusterScoped: true })
          : Promise.resolve([]),
    }),
    readGitOps(kube, namespace, unknown),
  ]);
  return { ...objects, ...gitops, unknown };
}

/** Awaits every read at once and names each result as its read is named. */
async function allOf<T extends Record<string, Promise<unknown>>>(reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const entries = await Promise.all(Object.entries(reads).map(async ([name, read]) => [name, await read] as const));
  return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> };
}

async function listObjects<T>(kube: KubeClient, spec: ListSpec, unknown: string[]): Promise<T[]> {
  const scoped = spec.clusterScoped !== true && spec.namespace !== undefined;
  const path = `${spec.base}/${scoped ? `namespaces/${spec.namespace ?? ''}/` : ''}${spec.resource}`;
  try {
    const page = await getJson<{ items?: T[]; metadata?: { continue?: string } }>(kube, {
      path,
      query: { limit: PAGE, fieldSelector: spec.fieldSelector },
      ...(spec.metadataOnly === true ? { accept: METADATA_ONLY } : {}),
    });
    if (page.metadata?.continue)
      unknown.push(`${spec.what}: more than ${PAGE} exist and only the first ${PAGE} were read; narrow with namespace, or kind and name.`);
    return page.items ?? [];
  } catch (error) {
    if (error instanceof KubeForbiddenError) {
      unknown.push(`${spec.what}: the MCP server's Kubernetes identity may not list them here (forbidden), so their changes are unknown.`);
      return [];
    }
    if (error instanceof KubeNotFoundError) {
      unknown.push(`${spec.what}: this API server does not serve them (${spec.base}), so their changes are unknown.`);
      return [];
    }
    throw error;
  }
}

interface GitOpsObjects {
  argoApplications: RawCustomObject[];
  fluxKustomizations: RawCustomObject[];
  fluxHelmReleases: RawCustomObject[];
}

/** Argo CD and Flux objects, only where their CRDs are installed (asked through API discovery). */
async function readGitOps(kube: KubeClient, namespace: string | undefined, unknown: string[]): Promise<GitOpsObjects> {
  const read = async (group: string, resource: string, what: string): Promise<RawCustomObject[]> => {
    const version = await preferredVersion(kube, group);
    if (version === undefined) return [];
    const base = `/apis/${group}/${version}`;
    if (namespace === undefined || group !== 'argoproj.io')
      return listObjects<RawCustomObject>(kube, { what, base, resource, namespace }, unknown);
    // Argo CD Applications live in Argo CD's namespace and deploy into others: find the ones aimed at this one.
    const notes: string[] = [];
    const all = await listObjects<RawCustomObject>(kube, { what, base, resource, namespace: undefined }, notes);
    if (notes.length === 0) return all.filter((app) => app.metadata?.namespace === namespace || destinationNamespace(app) === namespace);
    return listObjects<RawCustomObject>(kube, { what, base, resource, namespace }, unknown);
  };
  const [argoApplications, fluxKustomizations, fluxHelmReleases] = await Promise.all([
    read('argoproj.io', 'applications', 'Argo CD Applications'),
    read('kustomize.toolkit.fluxcd.io', 'kustomizations', 'Flux Kustomizations'),
    read('helm.toolkit.fluxcd.io', 'helmreleases', 'Flux HelmReleases'),
  ]);
  return { argoApplications, fluxKustomizations, fluxHelmReleases };
}

/** The group's preferred version, or undefined when the group (its CRDs) is not installed. */
async function preferredVersion(kube: KubeClient, group: string): Promise<string | undefined> {
  try {
    const found = await getJson<{ preferredVersion?: { version?: string } }>(kube, { path: `/apis/${group}` });
    return found.preferredVersion?.version;
  } catch (error) {
    if (error instanceof KubeNotFoundError || error instanceof KubeForbiddenError) return undefined;
    throw error;
  }
}

export function destinationNamespace(app: RawCustomObject): string | undefined {
  const destination = app.spec?.destination;
  if (destination === null || typeof destination !== 'object') return undefined;
  const value = (destination as Record<string, unknown>).namespace;
  return typeof value === 'string' ? value : undefined;
}
