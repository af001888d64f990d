import { setTimeout as sleep } from 'node:timers/promises';
import { setPodLogs } from '../fakes/fake-kubelet.ts';
import type { FixtureObject } from './create-with-status.ts';
import { RawKubeError, rawKubeClient, type RawKubeClient } from './raw-kube-client.ts';
import { CLUSTER_OBJECTS, SCENARIOS, STUCK_NAMESPACE_STATUS, type Scenario } from './scenarios/index.ts';

/** Kinds whose status is written through the status subresource (create ignores it). */
const STATUS_SUBRESOURCE = new Set([
  'Namespace',
  'Node',
  'Pod',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'ResourceQuota',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
]);
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'CustomResourceDefinition']);

/**
 * Seeds the diagnosis scenarios (dev/cluster/scenarios): the shared cluster-scoped objects first, then
 * every scenario at once (each one's objects in order, so owners exist before what they own), over one
 * keep-alive connection pool. Timestamps are relative to `now`, resolved by `resolveTimes`.
 */
export async function seedScenarios({
  kubeconfigPath,
  kubeletPort,
  resolveTimes,
}: {
  kubeconfigPath: string;
  kubeletPort: number;
  resolveTimes: (value: unknown) => unknown;
}): Promise<void> {
  const client = rawKubeClient(kubeconfigPath);
  const uids = new Map<string, string>();
  const withKubelet = (object: FixtureObject): FixtureObject =>
    object.kind === 'Node'
      ? { ...object, status: { ...object.status, daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } } }
      : object;
  try {
    await Promise.all(CLUSTER_OBJECTS.map((object) => create(client, withKubelet(resolveTimes(object) as FixtureObject), uids)));
    await Promise.all(SCENARIOS.map((scenario) => seedScenario(client, scenario, { kubeconfigPath, resolveTimes, uids })));
  } finally {
    client.close();
  }
}

async function seedScenario(
  client: RawKubeClient,
  scenario: Scenario,
  { kubeconfigPath, resolveTimes, uids }: { kubeconfigPath: string; resolveTimes: (value: unknown) => unknown; uids: Map<string, string> },
): Promise<void> {
  for (const raw of scenario.objects) {
    const object = resolveTimes(raw) as FixtureObject;
    await create(client, object, uids).catch((error: unknown) => {
      throw new Error(
        `seeding scenario ${scenario.rule} ${object.kind ?? '?'}/${object.metadata?.name ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
  }
  for (const log of scenario.logs ?? []) setPodLogs({ kubeconfigPath, ...log });
  if (scenario.deleteNamespace === true && scenario.namespace !== undefined) {
    const path = `/api/v1/namespaces/${scenario.namespace}`;
    await client.send('DELETE', path);
    // No namespace controller runs: write what it would have reported about the finalizers left.
    const current = await client.send('GET', path);
    await client.send('PUT', `${path}/status`, { ...current, status: resolveTimes(STUCK_NAMESPACE_STATUS) });
  }
}

async function create(client: RawKubeClient, { status, ...object }: FixtureObject, uids: Map<string, string>): Promise<void> {
  const kind = object.kind ?? '';
  linkUids(object, uids);
  const collection = collectionPath(object);
  const body = STATUS_SUBRESOURCE.has(kind) || status === undefined ? object : { ...object, status };
  const created = await createOnceServed(client, collection, body);
  const metadata = created.metadata as { uid?: string; name?: string } | undefined;
  uids.set(key(kind, object.metadata?.namespace, object.metadata?.name), metadata?.uid ?? '');
  if (status !== undefined && STATUS_SUBRESOURCE.has(kind)) {
    const current = (created.status ?? {}) as Record<string, unknown>;
    await client.send('PUT', `${collection}/${metadata?.name ?? ''}/status`, { ...created, status: { ...current, ...status } });
  }
}

/** A custom resource's type is served a moment after its CRD is created: retry a 404 for a few seconds. */
async function createOnceServed(client: RawKubeClient, collection: string, body: unknown): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.send('POST', collection, body);
    } catch (error) {
      if (!(error instanceof RawKubeError) || error.status !== 404 || attempt >= 50) throw error;
      await sleep(100);
    }
  }
}

function collectionPath(object: FixtureObject): string {
  const kind = object.kind ?? '';
  const apiVersion = object.apiVersion ?? 'v1';
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = CLUSTER_SCOPED.has(kind) ? '' : `/namespaces/${object.metadata?.namespace ?? 'default'}`;
  return `${root}${scope}/${plural(kind)}`;
}

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function key(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${kind ?? ''}/${namespace ?? ''}/${name ?? ''}`;
}

interface Reference {
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

/** ownerReferences and involvedObject get the uids of the objects created before them; a Job's pods its controller-uid labels. */
function linkUids(object: FixtureObject, uids: Map<string, string>): void {
  const namespace = object.metadata?.namespace;
  const owners = (object.metadata?.ownerReferences ?? []) as Reference[];
  const involved = object.involvedObject as Reference | undefined;
  for (const reference of [...owners, ...(involved === undefined ? [] : [involved])]) {
    if (reference.uid !== undefined && reference.uid !== '') continue;
    const scoped = reference.kind !== undefined && CLUSTER_SCOPED.has(reference.kind) ? undefined : (reference.namespace ?? namespace);
    const uid = uids.get(key(reference.kind, scoped, reference.name));
    if (uid === undefined)
      throw new Error(
        `${object.kind ?? '?'}/${object.metadata?.name ?? '?'} refers to ${reference.kind ?? '?'}/${reference.name ?? '?'}, which is not seeded before it`,
      );
    reference.uid = uid;
  }
  const job = owners.find((o) => o.kind === 'Job');
  if (object.kind === 'Pod' && job?.uid !== undefined && job.uid !== '' && object.metadata !== undefined) {
    object.metadata.labels = { ...object.metadata.labels, 'batch.kubernetes.io/controller-uid': job.uid, 'controller-uid': job.uid };
  }
}
