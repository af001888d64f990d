import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import { withNotFoundHint } from '../../errors.ts';
import { defineTool, writeAnnotations, type ToolDefinition } from '../../tool-definition.ts';
import { namespaceName } from '../core/list-arguments.ts';
import { dryRunArgument, noChange, objectName, qualified, WRITE_CALL, writeResult, type WritePreview } from './write-result.ts';
import { writeContentSchema } from '../../../contract/write-content.ts';

export function deploymentWriteTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'deployment_scale',
      title: 'Scale a deployment',
      description:
        'Sets the replica count of a deployment. Previews by default (server-side dry run: replicas before → after); ' +
        'dryRun: false applies it. Scaling down stops pods.',
      inputSchema: {
        namespace: namespaceName,
        name: objectName.describe('Deployment name.'),
        replicas: z.number().int().min(0).max(1000).describe('Desired number of replicas.'),
        dryRun: dryRunArgument,
      },
      outputSchema: writeContentSchema,
      // Scaling down stops pods; asking twice for the same count changes nothing more.
      annotations: writeAnnotations({ destructive: true, idempotent: true }),
      handler: async ({ namespace, name, replicas, dryRun }, { kube }) => {
        const deployment = await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })).catch(
          withNotFoundHint(`Use deployments_list with namespace ${namespace} to see its deployments.`),
        );
        const before = deployment.spec?.replicas ?? 1;
        const preview = (after: unknown): WritePreview => ({
          summary:
            before === after
              ? `deployment ${qualified(namespace, name)} already has ${before} replicas`
              : `scale deployment ${qualified(namespace, name)}: replicas ${before} → ${String(after)}`,
          target: { kind: 'Deployment', namespace, name, context: kube.context },
          changes: before === after ? [] : [{ field: 'spec.replicas', before, after }],
        });
        if (before === replicas) return noChange({ preview: preview(replicas) });
        // Through the scale subresource, as kubectl scale does. The read's resourceVersion rides along: if the
        // deployment changes in between, the API server answers 409 instead of applying over it.
        const body = {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { namespace, name, resourceVersion: deployment.metadata?.resourceVersion },
          spec: { replicas },
        };
        const dry = await callKube(
          kube,
          () => kube.apps.replaceNamespacedDeploymentScale({ namespace, name, body, dryRun: 'All' }),
          WRITE_CALL,
        );
        const planned = preview(dry.spec?.replicas ?? 0);
        if (dryRun) return writeResult({ tool: 'deployment_scale', preview: planned, applied: false });
        await callKube(kube, () => kube.apps.replaceNamespacedDeploymentScale({ namespace, name, body }), WRITE_CALL);
        return writeResult({ tool: 'deployment_scale', preview: planned, applied: true });
      },
    }),
  ];
}
