/**
 * A Secret with its values removed at the source: `data` and `stringData` become the list of key
 * names (what `kubectl describe secret` shows), and annotations go too, since tools that apply
 * Secrets copy the values into them. Anything else passes through.
 */
export function hideSecretData<T>(object: T): T {
  if (object === null || typeof object !== 'object') return object;
  const secret = object as Record<string, unknown>;
  if (secret.kind !== undefined && secret.kind !== 'Secret') return object;
  const { data, stringData, metadata, ...rest } = secret;
  const keys = [...Object.keys(isRecord(data) ? data : {}), ...Object.keys(isRecord(stringData) ? stringData : {})];
  const { annotations, ...meta } = isRecord(metadata) ? metadata : {};
  const hidden: Record<string, unknown> = { ...rest, metadata: meta, keys: [...new Set(keys)].sort() };
  if (isRecord(annotations)) hidden.annotationKeys = Object.keys(annotations);
  return hidden as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
