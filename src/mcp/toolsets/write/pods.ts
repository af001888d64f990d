import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { KubeNotFoundError } from '../../../kube/errors.ts';
import { podStatus } from '../../../kube/pod-status.ts';
import { withNotFoundHint } from '../../errors.ts';
import { defineTool, writeAnnotations, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { namespaceName } from '../core/list-arguments.ts';
import { dryRunArgument, objectName, qualified, WRITE_CALL, writeResult, type WritePreview } from './write-result.ts';
import { writeContentSchema } from '../../../contract/write-content.ts';

export const gracePeriodArgument = z
  .number()
  .int()
  .min(0)
  .max(3600)
  .optional()
  .describe("Seconds the pod gets to stop; the pod's own terminationGracePeriodSeconds when omitted. 0 deletes at once.");

/** Who recreates a pod once it is gone, in words an approver needs. */
export function podFate(pod: V1Pod): string {
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner === undefined ? 'not managed by a controller: it will not be recreated' : `${owner.kind} ${owner.name} recreates it`;
}

async function deletePod(
  kube: KubeClient,
  {
    namespace,
    name,
    gracePeriodSeconds,
    dryRun,
  }: { namespace: string; name: string; gracePeriodSeconds?: number | undefined; dryRun: boolean },
): Promise<ToolResult> {
  const where = qualified(namespace, name);
  const pod = await callKube(kube, () => kube.core.readNamespacedPod({ namespace, name })).catch(
    withNotFoundHint(`Use pods_list with namespace ${namespace} to see its pods.`),
  );
  // The uid precondition makes sure a same-named replacement is never the one deleted. With a body, the
  // API server reads every delete option from it and ignores the query, so dryRun must be in the body.
  const request = (dryRun: boolean) => ({
    namespace,
    name,
    body: {
      preconditions: { uid: pod.metadata?.uid },
      ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
      ...(dryRun ? { dryRun: ['All'] } : {}),
    },
  });
  await callKube(kube, () => kube.core.deleteNamespacedPod(request(true)), WRITE_CALL);
  const grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  const status = podStatus(pod);
  const preview: WritePreview = {
    summary: `delete pod ${where} (${status}${pod.spec?.nodeName === undefined ? '' : ` on ${pod.spec.nodeName}`}; ${podFate(pod)}; grace period ${grace}s)`,
    target: { kind: 'Pod', namespace, name, context: kube.context },
    changes: [{ field: 'pod', before: status, after: 'deleted' }],
  };
  if (dryRun) return writeResult({ tool: 'pod_delete', preview, applied: false });
  await callKube(kube, () => kube.core.deleteNamespacedPod(request(false)), WRITE_CALL);
  const gone = await callKube(kube, () => kube.core.readNamespacedPod({ namespace, name })).then(
    (left) => left.metadata?.uid !== pod.metadata?.uid,
    (error: unknown) => {
      if (error instanceof KubeNotFoundError) return true;
      throw error;
    },
  );
  return writeResult({
    tool: 'pod_delete',
    preview,
    applied: true,
    outcome: [gone ? `pod ${where} is gone.` : `pod ${where} is terminating (up to ${grace}s).`],
  });
}

export function podWriteTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'pod_delete',
      title: 'Delete a pod',
      description:
        "Deletes one pod (its controller, if any, creates a replacement). Previews by default (server-side dry run: the pod's " +
        'status, node and who recreates it); dryRun: false deletes it.',
      inputSchema: {
        namespace: namespaceName,
        name: objectName.describe('Pod name.'),
        gracePeriodSeconds: gracePeriodArgument,
        dryRun: dryRunArgument,
      },
      outputSchema: writeContentSchema,
      // Deleting again finds nothing more to delete.
      annotations: writeAnnotations({ destructive: true, idempotent: true }),
      handler: (args, { kube }) => deletePod(kube, args),
    }),
  ];
}
