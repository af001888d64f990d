import type { V1Node } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { withNotFoundHint } from '../../errors.ts';
import { WRITE_CALL, type FieldChange } from './write-result.ts';

export const readNodeForWrite = (kube: KubeClient, name: string): Promise<V1Node> =>
  callKube(kube, () => kube.core.readNode({ name })).catch(withNotFoundHint('Use nodes_list to see the nodes.'));

/**
 * Sets spec.unschedulable (cordon true, uncordon false) with a JSON patch guarded by the read's
 * resourceVersion; a dry run when asked. Returns the change as the API server reports it.
 */
export async function setUnschedulable(
  kube: KubeClient,
  node: V1Node,
  { unschedulable, dryRun }: { unschedulable: boolean; dryRun: boolean },
): Promise<FieldChange> {
  const name = node.metadata?.name ?? '';
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: node.metadata?.resourceVersion },
    { op: 'add', path: '/spec/unschedulable', value: unschedulable },
  ];
  const patched = await callKube(kube, () => kube.core.patchNode({ name, body, ...(dryRun ? { dryRun: 'All' } : {}) }), WRITE_CALL);
  return { field: 'spec.unschedulable', before: node.spec?.unschedulable === true, after: patched.spec?.unschedulable === true };
}
