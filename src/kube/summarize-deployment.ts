import type { V1Deployment } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';

/** One deployment as `kubectl get deployments` shows it, plus images and a failing condition. */
export interface DeploymentRow {
  namespace: string;
  name: string;
  /** ready/desired, e.g. "0/1". */
  ready: string;
  desired: number;
  updated: number;
  available: number;
  age: string;
  images: string;
  /** The first condition that is not healthy, e.g. "Available=False: MinimumReplicasUnavailable". */
  problem?: string;
  anomalous: boolean;
}

export function summarizeDeployment(deployment: V1Deployment, now: Date = new Date()): DeploymentRow {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status;
  const readyCount = status?.readyReplicas ?? 0;
  const updated = status?.updatedReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const row: DeploymentRow = {
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    ready: `${readyCount}/${desired}`,
    desired,
    updated,
    available,
    age: formatAge(deployment.metadata?.creationTimestamp, now),
    images: (deployment.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
    anomalous: readyCount < desired || available < desired || updated < desired,
  };
  const bad = (status?.conditions ?? []).find(
    (c) =>
      (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.status === 'False') || c.type === 'ReplicaFailure',
  );
  if (bad !== undefined) row.problem = `${bad.type}=${bad.status}: ${bad.reason ?? ''}${bad.message ? ` (${bad.message})` : ''}`;
  return row;
}
