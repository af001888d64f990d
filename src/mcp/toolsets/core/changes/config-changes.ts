import { inWindow, isoSeconds, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { fieldWrites, isCreationWrite, owns, ownedKeys } from './managed-fields.ts';
import { isHelmStorage } from './lifecycle-changes.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf } from './raw-objects.ts';
import { inScope, type WorkloadScope } from './workload-scope.ts';

const KEYS_SHOWN = 12;

/**
 * ConfigMap and Secret updates from metadata alone: each field manager's last write of `data` (or
 * `binaryData`) after creation, with the keys that manager owns — the ones it added or changed — and the keys
 * the object has now. Values are never read (the lists are metadata-only); a removed key leaves no trace.
 */
export function configChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  for (const [kind, objects] of [
    ['ConfigMap', snapshot.configMaps],
    ['Secret', snapshot.secrets],
  ] as const) {
    for (const object of objects) {
      if (isHelmStorage(object) || !inScope(scope, kind, object)) continue;
      const writes = fieldWrites(object.metadata).filter((write) => write.subresource !== 'status');
      const keysNow = [...new Set(writes.flatMap((write) => [...ownedKeys(write, ['data']), ...ownedKeys(write, ['binaryData'])]))].sort();
      for (const write of writes) {
        if (
          !inWindow(window, write.at) ||
          isCreationWrite(write, object.metadata) ||
          !(owns(write, ['data']) || owns(write, ['binaryData']))
        )
          continue;
        const keys = [...ownedKeys(write, ['data']), ...ownedKeys(write, ['binaryData'])];
        const namespace = namespaceOf(object);
        out.items.push({
          at: isoSeconds(write.at),
          type: kind === 'Secret' ? 'secret' : 'config',
          kind,
          ...(namespace === undefined ? {} : { namespace }),
          name: nameOf(object),
          summary: `data updated: keys added or changed ${list(keys)}; ${keysNow.length} key${keysNow.length === 1 ? '' : 's'} now (${list(keysNow)})`,
          by: write.manager,
          derivedFrom: `managedFields (metadata only${kind === 'Secret' ? '; values never read' : ''})`,
        });
      }
    }
  }
  return out;
}

function list(keys: readonly string[]): string {
  if (keys.length === 0) return 'none named';
  return keys.length > KEYS_SHOWN ? `${keys.slice(0, KEYS_SHOWN).join(', ')} and ${keys.length - KEYS_SHOWN} more` : keys.join(', ');
}
