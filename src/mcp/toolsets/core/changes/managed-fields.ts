import type { ManagedFieldsEntry, RawMeta } from './raw-objects.ts';

/** One field manager's last write to an object, as its managedFields entry records it. */
export interface FieldWrite {
  manager: string;
  /** Epoch ms of the manager's last change to a field it owns. */
  at: number;
  /** `scale` for writes through the scale subresource; `status` for status writes. */
  subresource?: string;
  fields: Record<string, unknown>;
}

/**
 * The writes an object's managedFields record, newest first. Each entry holds only its manager's last
 * change (its `time` moves whenever that manager changes a field it owns): earlier writes are gone.
 */
export function fieldWrites(metadata: RawMeta | undefined): FieldWrite[] {
  return (metadata?.managedFields ?? [])
    .map((entry: ManagedFieldsEntry) => ({
      manager: entry.manager ?? 'unknown',
      at: entry.time === undefined ? Number.NaN : Date.parse(entry.time),
      ...(entry.subresource === undefined || entry.subresource === '' ? {} : { subresource: entry.subresource }),
      fields: entry.fieldsV1 ?? {},
    }))
    .filter((write) => !Number.isNaN(write.at))
    .sort((a, b) => b.at - a.at);
}

/** The FieldsV1 subtree at `path` (e.g. ['spec', 'replicas']), or undefined when the write does not own it. */
export function ownedAt(fields: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = fields;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[`f:${step}`];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** Whether the write owns the field at `path` or anything below it. */
export const owns = (write: FieldWrite, path: readonly string[]): boolean => ownedAt(write.fields, path) !== undefined;

/** The map keys owned under `path` (a ConfigMap's `data` keys), without the `f:` prefix; never values, FieldsV1 has none. */
export function ownedKeys(write: FieldWrite, path: readonly string[]): string[] {
  const node = ownedAt(write.fields, path);
  if (node === undefined) return [];
  return Object.keys(node)
    .filter((key) => key.startsWith('f:'))
    .map((key) => key.slice(2))
    .sort();
}

/** The newest write (not to status) that owns something under `path`. */
export function lastWriteOf(metadata: RawMeta | undefined, path: readonly string[]): FieldWrite | undefined {
  return fieldWrites(metadata).find((write) => write.subresource !== 'status' && owns(write, path));
}

/** A write made when the object was created (same second): creation, not a later change. */
export const isCreationWrite = (write: FieldWrite, metadata: RawMeta | undefined): boolean =>
  Math.abs(write.at - Date.parse(metadata?.creationTimestamp ?? '')) < 1_000;
