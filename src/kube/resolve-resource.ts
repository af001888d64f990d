import type { KubeClient } from './create-kube-client.ts';
import { KubeError } from './errors.ts';
import { getJson } from './get-json.ts';

/** One resource type the API server serves, as discovery describes it. */
export interface ApiResource {
  /** "" for the core group. */
  group: string;
  version: string;
  /** "v1", "apps/v1", "example.com/v1alpha1". */
  apiVersion: string;
  /** Plural, as in the URL: "deployments". */
  resource: string;
  kind: string;
  namespaced: boolean;
  singular: string;
  shortNames: string[];
}

interface ResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; singularName?: string; shortNames?: string[]; verbs?: string[] }[];
}
interface GroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[];
}

/** Discovery changes only when CRDs or API services come and go: a short cache spares a round trip per call. */
const CACHE_MS = 30_000;
const cache = new WeakMap<KubeClient, { at: number; resources: Promise<ApiResource[]> }>();

/**
 * Every listable resource type (preferred version of each group, core first, then in the order the
 * server lists its groups, as kubectl resolves short names). A group whose API service is down (an
 * absent metrics-server, say) is skipped rather than failing the whole discovery.
 */
export function listApiResources(kube: KubeClient, { fresh = false }: { fresh?: boolean } = {}): Promise<ApiResource[]> {
  const hit = cache.get(kube);
  if (!fresh && hit !== undefined && Date.now() - hit.at < CACHE_MS) return hit.resources;
  const resources = discover(kube);
  cache.set(kube, { at: Date.now(), resources });
  void resources.catch(() => cache.delete(kube));
  return resources;
}

async function discover(kube: KubeClient): Promise<ApiResource[]> {
  const [core, groups] = await Promise.all([getJson<ResourceList>(kube, { path: '/api/v1' }), getJson<GroupList>(kube, { path: '/apis' })]);
  const versions = (groups.groups ?? []).flatMap((g) => (g.preferredVersion ? [g.preferredVersion.groupVersion] : []));
  const lists = await Promise.all(
    versions.map((groupVersion) =>
      getJson<ResourceList>(kube, { path: `/apis/${groupVersion}` }).catch((error: unknown) => {
        if (error instanceof KubeError) return { groupVersion, resources: [] };
        throw error;
      }),
    ),
  );
  return [{ ...core, groupVersion: 'v1' }, ...lists].flatMap((list) => toResources(list));
}

function toResources(list: ResourceList): ApiResource[] {
  const apiVersion = list.groupVersion ?? 'v1';
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/') && (r.verbs ?? ['get']).includes('get'))
    .map((r) => ({
      group,
      version,
      apiVersion,
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      singular: r.singularName || r.kind.toLowerCase(),
      shortNames: r.shortNames ?? [],
    }));
}

export interface ResolveResourceOptions {
  /** Kind ("Deployment"), plural ("deployments"), singular, short name ("deploy") or "<plural>.<group>". */
  kind: string;
  /** "apps/v1"; narrows the search to that group and version (which need not be the preferred one). */
  apiVersion?: string | undefined;
}

/** Finds the resource type a user means, as kubectl does; undefined when nothing matches. */
export async function resolveResource(kube: KubeClient, { kind, apiVersion }: ResolveResourceOptions): Promise<ApiResource | undefined> {
  const wanted = kind.toLowerCase();
  if (apiVersion !== undefined) {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const candidates = toResources({ ...(await getJson<ResourceList>(kube, { path })), groupVersion: apiVersion });
    return findResource(candidates, wanted);
  }
  // A miss in the cached discovery may be a CRD created since: look once more, afresh.
  return findResource(await listApiResources(kube), wanted) ?? findResource(await listApiResources(kube, { fresh: true }), wanted);
}

function findResource(candidates: ApiResource[], wanted: string): ApiResource | undefined {
  const matches = (r: ApiResource, name: string) =>
    r.kind.toLowerCase() === name || r.resource === name || r.singular === name || r.shortNames.includes(name);
  const exact = candidates.find((r) => matches(r, wanted));
  if (exact !== undefined) return exact;
  // "widgets.example.com" or "deployments.apps": a name qualified by its group.
  const dot = wanted.indexOf('.');
  if (dot > 0) {
    const name = wanted.slice(0, dot);
    const group = wanted.slice(dot + 1);
    return candidates.find((r) => r.group === group && matches(r, name));
  }
  return undefined;
}

/** The URL path of a resource type, a namespace's share of it, or one object. */
export function resourcePath(
  resource: ApiResource,
  { namespace, name }: { namespace?: string | undefined; name?: string | undefined } = {},
): string {
  const root = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
