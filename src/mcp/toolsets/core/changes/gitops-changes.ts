import { type ChangeItem } from '../../../../contract/changes-list-content.ts';
import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf, type RawCustomObject } from './raw-objects.ts';

const TEXT_CHARS = 160;

/**
 * Argo CD Applications (status.history: each deployment with its revision and time; a failed sync from
 * status.operationState) and Flux Kustomizations and HelmReleases (status.history where the version keeps
 * one, else the Ready condition's transition with the last applied revision). Read only where the CRDs exist.
 */
export function gitOpsChanges(snapshot: ChangeSnapshot, window: ChangeWindow): DerivedChanges {
  const items: ChangeItem[] = [];
  const push = (object: RawCustomObject, kind: string, at: number, summary: string, derivedFrom: string) => {
    if (!inWindow(window, at)) return;
    const namespace = namespaceOf(object);
    items.push({
      at: isoSeconds(at),
      type: 'gitops',
      kind,
      ...(namespace === undefined ? {} : { namespace }),
      name: nameOf(object),
      summary,
      derivedFrom,
    });
  };
  for (const app of snapshot.argoApplications) {
    for (const entry of records(app.status?.history)) {
      push(
        app,
        'Application',
        timeOf(text(entry.deployedAt)),
        `Argo CD deployed revision ${short(text(entry.revision) ?? revisionsOf(entry))}`,
        'Argo CD status.history',
      );
    }
    const operation = record(app.status?.operationState);
    const phase = text(operation?.phase);
    if (operation !== undefined && (phase === 'Failed' || phase === 'Error')) {
      push(
        app,
        'Application',
        timeOf(text(operation.finishedAt)),
        `Argo CD sync ${phase}: ${clip(text(operation.message))}`,
        'Argo CD status.operationState',
      );
    }
  }
  for (const [kind, objects] of [
    ['Kustomization', snapshot.fluxKustomizations],
    ['HelmRelease', snapshot.fluxHelmReleases],
  ] as const) {
    for (const object of objects) {
      const history = records(object.status?.history);
      if (kind === 'HelmRelease' && history.length > 0) {
        for (const entry of history) {
          push(
            object,
            'HelmRelease',
            timeOf(text(entry.lastDeployed) ?? text(entry.firstDeployed)),
            `Flux release revision ${typeof entry.version === 'number' || typeof entry.version === 'string' ? entry.version : '?'} ${text(entry.status) ?? ''}, chart ${text(entry.chartName) ?? '?'} ${text(entry.chartVersion) ?? ''}`
              .replace(/\s+/g, ' ')
              .trim(),
            'Flux HelmRelease status.history',
          );
        }
        continue;
      }
      const ready = records(object.status?.conditions).find((condition) => condition.type === 'Ready');
      if (ready === undefined) continue;
      const revision = text(object.status?.lastAppliedRevision);
      push(
        object,
        kind,
        timeOf(text(ready.lastTransitionTime)),
        `Flux Ready ${text(ready.status) ?? '?'} (${text(ready.reason) ?? 'no reason'})${revision === undefined ? '' : `, last applied revision ${short(revision)}`}`,
        `Flux ${kind} Ready condition lastTransitionTime (the apply time itself is not kept)`,
      );
    }
  }
  return { items, unknown: [] };
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object') : [];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Multi-source Argo CD apps record `revisions` (a list) instead of `revision`. */
function revisionsOf(entry: Record<string, unknown>): string | undefined {
  return Array.isArray(entry.revisions) ? entry.revisions.filter((r) => typeof r === 'string').join(',') : undefined;
}

const short = (revision: string | undefined) =>
  revision === undefined ? '?' : revision.length > 40 ? `${revision.slice(0, 40)}…` : revision;
const clip = (message: string | undefined) => (message ?? '').replace(/\s+/g, ' ').slice(0, TEXT_CHARS);
