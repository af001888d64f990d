/**
 * Annotations holding a copy of the whole object as last applied: costly, and for a Secret they embed
 * its data in clear. kubectl apply, Rancher and kapp write them.
 */
const OBJECT_COPIES = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'objectset.rio.cattle.io/applied',
  'kapp.k14s.io/original',
]);

/**
 * A copy of a Kubernetes object without what costs tokens and says nothing: managedFields, the
 * annotations that copy the object, and empty values (null, "", [], {}). Dates become ISO strings.
 */
export function pruneObject(value: unknown): unknown {
  return prune(value, '');
}

function prune(value: unknown, key: string): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((item) => prune(item, '')).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'managedFields') continue;
    if (key === 'annotations' && OBJECT_COPIES.has(k)) continue;
    const pruned = prune(v, k);
    if (pruned !== undefined) out[k] = pruned;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
