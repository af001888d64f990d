import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { isHelmStorage } from './lifecycle-changes.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf, type RawObject } from './raw-objects.ts';
import type { WorkloadScope } from './workload-scope.ts';

const RELEASE_NAME = 'meta.helm.sh/release-name';
const CHART_LABEL = 'helm.sh/chart';
/** Not an API kind: Helm keeps a release as storage objects; named apart from Flux's HelmRelease. */
export const HELM_RELEASE = 'Helm release';

/**
 * Helm releases from their storage objects' metadata (Secrets, or ConfigMaps with the configmap driver,
 * labelled owner=helm): one object per revision, with its name, revision and status in labels and its time
 * as the object's creation. The payload (the release's manifest and values) is never read; the chart and its
 * version come from the `helm.sh/chart` label of the release's current objects, so only the newest revision
 * can name them.
 */
export function helmChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  const records = [
    ...snapshot.secrets.map((object) => ({ object, driver: 'Secret' })),
    ...snapshot.configMaps.map((object) => ({ object, driver: 'ConfigMap' })),
  ].filter(({ object }) => isHelmStorage(object));
  const releases = new Map<string, { object: RawObject; driver: string; revision: number }[]>();
  for (const { object, driver } of records) {
    const release = `${namespaceOf(object) ?? ''}/${object.metadata?.labels?.name ?? ''}`;
    const revision = { object, driver, revision: Number(object.metadata?.labels?.version ?? 0) };
    const known = releases.get(release);
    if (known === undefined) releases.set(release, [revision]);
    else known.push(revision);
  }
  const charts = releaseCharts(snapshot);
  for (const [release, revisions] of releases) {
    revisions.sort((a, b) => a.revision - b.revision);
    const [namespace = '', name = ''] = release.split('/');
    if (scope !== undefined && scope.helmRelease !== name) continue;
    const newest = revisions.at(-1)?.revision;
    for (const { object, driver, revision } of revisions) {
      const at = timeOf(object.metadata?.creationTimestamp);
      if (!inWindow(window, at)) continue;
      const chart = revision === newest ? charts.get(release) : undefined;
      out.items.push({
        at: isoSeconds(at),
        type: 'helm',
        kind: HELM_RELEASE,
        namespace,
        name,
        summary: `revision ${revision} ${object.metadata?.labels?.status ?? 'unknown status'}${chart === undefined ? '' : `, chart ${chart}`}${revision === 1 ? ' (installed)' : ' (upgrade or rollback)'}`,
        derivedFrom: `${driver} ${nameOf(object)} labels (payload not read)${chart === undefined ? '' : `; chart from the ${CHART_LABEL} label of its objects`}`,
      });
    }
    const oldest = revisions[0];
    if (oldest !== undefined && oldest.revision > 1 && timeOf(oldest.object.metadata?.creationTimestamp) > window.sinceMs) {
      out.unknown.push(
        `Helm release ${release} keeps revisions ${oldest.revision}–${newest ?? oldest.revision} only (--history-max): its earlier revisions are unknown.`,
      );
    }
  }
  return out;
}

/** `<namespace>/<release>` → the chart label its current objects carry (e.g. checkout-1.4.2). */
function releaseCharts(snapshot: ChangeSnapshot): Map<string, string> {
  const charts = new Map<string, string>();
  for (const object of [
    ...snapshot.deployments,
    ...snapshot.statefulSets,
    ...snapshot.daemonSets,
    ...snapshot.services,
    ...snapshot.configMaps,
  ]) {
    const release = object.metadata?.annotations?.[RELEASE_NAME];
    const chart = object.metadata?.labels?.[CHART_LABEL];
    if (release !== undefined && chart !== undefined)
      charts.set(`${object.metadata?.annotations?.['meta.helm.sh/release-namespace'] ?? namespaceOf(object) ?? ''}/${release}`, chart);
  }
  return charts;
}
