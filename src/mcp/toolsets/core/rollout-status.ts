import type { V1Deployment } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { withNotFoundHint } from '../../errors.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { own } from '../../result-parts.ts';

/** `kubectl rollout status deployment/<name>` without waiting: one look at where the rollout stands. */
export async function rolloutStatus(kube: KubeClient, { namespace, name }: { namespace: string; name: string }): Promise<ToolResult> {
  const deployment = await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })).catch(
    withNotFoundHint(`Use deployments_list with namespace "${namespace}" to see the deployments there.`),
  );
  const { state, message } = rolloutState(deployment);
  return { text: [own(message)], structuredContent: { namespace, name, state } };
}

/** The same checks, in the same order, as kubectl's DeploymentStatusViewer. */
export function rolloutState(deployment: V1Deployment): { state: 'complete' | 'progressing' | 'failed'; message: string } {
  const name = deployment.metadata?.name ?? '';
  const status = deployment.status ?? {};
  const generation = deployment.metadata?.generation ?? 0;
  if (generation > (status.observedGeneration ?? 0)) {
    return { state: 'progressing', message: `Waiting for deployment "${name}" spec update to be observed...` };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
    };
  }
  if (total > updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      state: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}
