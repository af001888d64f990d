import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { formatAge } from '../../../kube/format-age.ts';
import { ownedReplicaSets, revisionOf } from '../../../kube/read-workload.ts';
import { withNotFoundHint } from '../../errors.ts';
import { formatTable } from '../../format-table.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { own, untrusted } from '../../result-parts.ts';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/**
 * `kubectl rollout history deployment/<name>`, from the Deployment's ReplicaSets: each revision with
 * its change-cause, images, replicas and when it was created, newest first, the current one marked.
 */
export async function rolloutHistory(kube: KubeClient, { namespace, name }: { namespace: string; name: string }): Promise<ToolResult> {
  const deployment = await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })).catch(
    withNotFoundHint(`Use deployments_list with namespace "${namespace}" to see the deployments there.`),
  );
  const current = revisionOf(deployment);
  const now = new Date();
  const rows = (await ownedReplicaSets(kube, deployment)).map((rs) => ({
    revision: revisionOf(rs),
    current: revisionOf(rs) === current,
    replicaSet: rs.metadata?.name ?? '',
    replicas: `${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0}`,
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
    created: formatAge(rs.metadata?.creationTimestamp, now),
    changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE] ?? '',
  }));
  if (rows.length === 0) {
    return {
      text: [own(`deployment ${namespace}/${name} has no ReplicaSets, so no rollout history.`)],
      structuredContent: { namespace, name, revisions: [] },
    };
  }
  const table = formatTable(rows, [
    { header: 'revision', value: (r) => `${r.revision}${r.current ? ' (current)' : ''}` },
    { header: 'change-cause', value: (r) => r.changeCause },
    { header: 'images', value: (r) => r.images },
    { header: 'ready', value: (r) => r.replicas },
    { header: 'created', value: (r) => `${r.created} ago` },
    { header: 'replicaset', value: (r) => r.replicaSet },
  ]);
  return {
    // change-cause is an annotation anyone who can edit the Deployment writes: cluster text, fenced with the rest.
    text: [
      own(`deployment ${namespace}/${name}: ${rows.length} revision${rows.length === 1 ? '' : 's'} kept, current ${current}.`),
      untrusted(`rollout history of deployment ${namespace}/${name}`, table),
    ],
    structuredContent: { namespace, name, current, revisions: rows },
  };
}
