import { KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { aggregateClusterRoles } from './aggregate-cluster-roles.ts';

export const VIEWER_EXTRAS_ROLE = 'ai4k8s-test:viewer-extras';

/**
 * Fills the aggregated built-in roles, then binds the `viewer` user to `view` (read most namespaced
 * objects, no secrets) plus read of cluster-scoped things an on-call engineer looks at: nodes, events.
 * `nobody` stays unbound, so it can authenticate but read nothing.
 */
export async function grantViewerAccess(kubeconfigPath: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  // Ready already implies the bootstrap roles, but binding to a missing role would fail silently later.
  await rbac.readClusterRole({ name: 'view' });
  await aggregateClusterRoles(rbac);
  const read = ['get', 'list', 'watch'];
  await rbac.createClusterRole({
    body: {
      metadata: { name: VIEWER_EXTRAS_ROLE },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'events', 'namespaces', 'persistentvolumes'], verbs: read },
        { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: read },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
      ],
    },
  });
  for (const role of ['view', VIEWER_EXTRAS_ROLE]) {
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: `ai4k8s-test:viewer:${role.replace(/^ai4k8s-test:/, '')}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
      },
    });
  }
}
