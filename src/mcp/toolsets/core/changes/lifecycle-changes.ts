import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { fieldWrites, isCreationWrite } from './managed-fields.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf, type RawObject } from './raw-objects.ts';
import { inScope, type WorkloadScope } from './workload-scope.ts';

/**
 * New objects (created in the window, with the field manager that created them) and objects being deleted
 * (a deletionTimestamp in the window: still there, waiting on finalizers or a grace period). An object that
 * was deleted outright is gone from the API; the caller says so.
 */
export function lifecycleChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  const families: [string, RawObject[]][] = [
    ['Deployment', snapshot.deployments],
    ['StatefulSet', snapshot.statefulSets],
    ['DaemonSet', snapshot.daemonSets],
    ['Service', snapshot.services],
    ['ConfigMap', snapshot.configMaps.filter((object) => !isHelmStorage(object))],
    ['Secret', snapshot.secrets.filter((object) => !isHelmStorage(object) && !isServiceAccountToken(object))],
    ['HorizontalPodAutoscaler', snapshot.horizontalPodAutoscalers],
    ['Node', snapshot.nodes],
  ];
  for (const [kind, objects] of families) {
    for (const object of objects) {
      if (!inScope(scope, kind, object)) continue;
      const namespace = namespaceOf(object);
      const base = { kind, ...(namespace === undefined ? {} : { namespace }), name: nameOf(object) };
      const created = timeOf(object.metadata?.creationTimestamp);
      if (inWindow(window, created)) {
        const creator = fieldWrites(object.metadata).find((write) => isCreationWrite(write, object.metadata))?.manager;
        out.items.push({
          ...base,
          at: isoSeconds(created),
          type: 'created',
          summary: 'created',
          ...(creator === undefined ? {} : { by: creator }),
          derivedFrom: 'metadata.creationTimestamp' + (creator === undefined ? '' : ' and managedFields'),
        });
      }
      const deleting = timeOf(object.metadata?.deletionTimestamp);
      if (inWindow(window, deleting)) {
        out.items.push({
          ...base,
          at: isoSeconds(deleting),
          type: 'deleting',
          summary: 'being deleted (still present: waiting on finalizers or a grace period)',
          derivedFrom: 'metadata.deletionTimestamp',
        });
      }
    }
  }
  return out;
}

/** Helm's own release records (owner=helm): reported as releases, not as Secrets or ConfigMaps. */
export const isHelmStorage = (object: RawObject): boolean =>
  object.metadata?.labels?.owner === 'helm' && object.metadata.labels.name !== undefined;

const isServiceAccountToken = (object: RawObject): boolean =>
  object.metadata?.annotations?.['kubernetes.io/service-account.name'] !== undefined;
