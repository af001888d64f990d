import type { RbacAuthorizationV1Api, V1ClusterRole, V1PolicyRule } from '@kubernetes/client-node';

/**
 * Does once what the controller-manager's clusterrole-aggregation controller does continuously:
 * fills the rules of aggregated ClusterRoles (`view`, `edit`, `admin`) from the roles their label
 * selectors pick. Without it those built-in roles have no rules at all here. Run it again after
 * adding a role labelled `rbac.authorization.k8s.io/aggregate-to-*`.
 */
export async function aggregateClusterRoles(rbac: RbacAuthorizationV1Api): Promise<void> {
  const roles = (await rbac.listClusterRole()).items;
  const aggregated = roles.filter((role) => role.aggregationRule?.clusterRoleSelectors !== undefined);
  const rules = new Map<string, V1PolicyRule[]>(roles.map((role) => [role.metadata?.name ?? '', role.rules ?? []]));
  // view is aggregated into edit, and edit into admin: repeat until nothing changes.
  for (let pass = 0, changed = true; changed && pass < 10; pass++) {
    changed = false;
    for (const role of aggregated) {
      const name = role.metadata?.name ?? '';
      const union = dedupe(
        roles
          .filter((source) => source !== role && selects(role, source))
          .flatMap((source) => rules.get(source.metadata?.name ?? '') ?? []),
      );
      if (union.length !== (rules.get(name) ?? []).length) {
        rules.set(name, union);
        changed = true;
      }
    }
  }
  for (const role of aggregated) {
    const name = role.metadata?.name ?? '';
    await rbac.replaceClusterRole({ name, body: { ...role, rules: rules.get(name) ?? [] } });
  }
}

function selects(role: V1ClusterRole, candidate: V1ClusterRole): boolean {
  const labels = candidate.metadata?.labels ?? {};
  return (role.aggregationRule?.clusterRoleSelectors ?? []).some((selector) => {
    if ((selector.matchExpressions ?? []).length > 0)
      throw new Error(`aggregation by matchExpressions is not emulated (${role.metadata?.name ?? '?'})`);
    return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  });
}

function dedupe(rules: V1PolicyRule[]): V1PolicyRule[] {
  const seen = new Map<string, V1PolicyRule>();
  for (const rule of rules) seen.set(JSON.stringify(rule), rule);
  return [...seen.values()];
}
