import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubeletLogDir } from '../fakes/fake-kubelet.ts';
import { createWithStatus, type FixtureObject } from './create-with-status.ts';
import { seedScenarios } from './seed-scenarios.ts';

const fixturesDir = join(import.meta.dirname, 'fixtures');
/** In creation order: owners before the objects that reference them, events last. */
const FIXTURE_FILES = ['nodes.yaml', 'shop.yaml', 'payments.yaml', 'events.yaml'];

/**
 * Creates the fixture scenarios through the API (as admin) and copies their container logs to the
 * fake kubelet. In the YAML, `"@now-5m"` style strings become timestamps relative to now (so ages and
 * "last hour" questions look right), and ownerReferences / involvedObject get the uids of the objects
 * created before them. The diagnosis scenarios (their own namespaces and nodes) are seeded alongside.
 */
export async function seedFixtures({ kubeconfigPath, kubeletPort }: { kubeconfigPath: string; kubeletPort: number }): Promise<void> {
  const now = Date.now();
  await Promise.all([
    seedFixtureFiles({ kubeconfigPath, kubeletPort, now }),
    seedScenarios({ kubeconfigPath, kubeletPort, resolveTimes: (value) => resolveTimes(value, now) }),
  ]);
}

async function seedFixtureFiles({
  kubeconfigPath,
  kubeletPort,
  now,
}: {
  kubeconfigPath: string;
  kubeletPort: number;
  now: number;
}): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext('admin');
  const uids = new Map<string, string>();
  for (const file of FIXTURE_FILES) {
    for (const document of parseAllDocuments(readFileSync(join(fixturesDir, file), 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      const object = resolveTimes(document.toJS(), now) as FixtureObject;
      if (object.kind === 'Node') setKubeletPort(object, kubeletPort);
      linkUids(object, uids);
      const uid = await createWithStatus(kc, object).catch((error: unknown) => {
        throw new Error(`seeding ${file} ${object.kind ?? '?'}/${object.metadata?.name ?? '?'} failed: ${describe(error)}`, {
          cause: error,
        });
      });
      uids.set(key(object.kind, object.metadata?.namespace, object.metadata?.name), uid);
    }
  }
  cpSync(join(fixturesDir, 'logs'), kubeletLogDir(kubeconfigPath), { recursive: true });
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

function linkUids(object: FixtureObject, uids: Map<string, string>): void {
  const namespace = object.metadata?.namespace;
  const references: Reference[] = [...((object.metadata?.ownerReferences ?? []) as Reference[])];
  const involved = object.involvedObject as Reference | undefined;
  if (involved !== undefined) references.push(involved);
  for (const reference of references) {
    if (reference.uid !== undefined) continue;
    const uid = uids.get(key(reference.kind, reference.namespace ?? (reference.kind === 'Node' ? undefined : namespace), reference.name));
    if (uid === undefined)
      throw new Error(
        `fixture ${object.kind ?? '?'}/${object.metadata?.name ?? '?'} refers to ${reference.kind ?? '?'}/${reference.name ?? '?'}, which is not seeded before it`,
      );
    reference.uid = uid;
  }
}

function setKubeletPort(node: FixtureObject, port: number): void {
  const status = (node.status ??= {});
  status.daemonEndpoints = { kubeletEndpoint: { Port: port } };
}

const relativeTime = /^@now(?:-(\d+)([smhd]))?$/;
const unitMillis: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function resolveTimes(value: unknown, now: number): unknown {
  if (typeof value === 'string') {
    const match = relativeTime.exec(value);
    if (match === null) return value;
    const offset = match[1] === undefined ? 0 : Number(match[1]) * (unitMillis[match[2] ?? 's'] ?? 0);
    // Kubernetes timestamps are whole seconds.
    return new Date(now - offset).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (Array.isArray(value)) return value.map((item) => resolveTimes(item, now));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTimes(v, now)]));
  }
  return value;
}

function describe(error: unknown): string {
  // client-node's ApiException message already carries the Status body the server sent.
  return error instanceof Error ? error.message : String(error);
}
