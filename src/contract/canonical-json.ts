/**
 * JSON with every object's keys sorted (UTF-16 code-unit order, as RFC 8785 sorts them) and undefined fields
 * left out, so two processes that hold equal values write the same bytes. Tool arguments are plain JSON
 * (strings, finite numbers, booleans, null, arrays, objects); numbers and strings are written as JSON.stringify
 * writes them, which is RFC 8785's form for those values.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value)) ?? 'null';
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = sortedKeys(field);
  }
  return out;
}
