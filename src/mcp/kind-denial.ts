/**
 * A predicate for MCP_DENIED_KINDS. Kinds are compared loosely so one entry covers how people and tools
 * write them: `Secret`, `secret`, `secrets` and `secrets.v1` match `Secret`; `NetworkPolicy` matches
 * `networkpolicies`. A group suffix is ignored, so `certificates.cert-manager.io` denies every kind
 * named Certificate (denying too much is the safe side).
 */
export function kindDenial(deniedKinds: readonly string[]): (kind: string) => boolean {
  const denied = new Set(deniedKinds.map(kindKey));
  return (kind) => denied.has(kindKey(kind));
}

/** Lower-case singular resource name without group: the form every spelling of a kind reduces to. */
export function kindKey(kind: string): string {
  const name = (kind.trim().toLowerCase().split('.')[0] ?? '').split('/').pop() ?? '';
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}
