import { z } from 'zod';
import { defineTool, writeAnnotations, type ToolDefinition } from '../../tool-definition.ts';
import { namespaceName } from '../core/list-arguments.ts';
import { restartWorkload } from './restart-workload.ts';
import { undoDeployment } from './undo-deployment.ts';
import { dryRunArgument, objectName } from './write-result.ts';
import { writeContentSchema } from '../../../contract/write-content.ts';

export function rolloutWriteTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'rollout_restart',
      title: 'Restart a workload (rolling)',
      description:
        'Like `kubectl rollout restart`: a new rollout of a Deployment, StatefulSet or DaemonSet that replaces its pods. ' +
        'Previews by default (server-side dry run); dryRun: false applies it.',
      inputSchema: {
        kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
        namespace: namespaceName,
        name: objectName.describe('Workload name.'),
        dryRun: dryRunArgument,
      },
      outputSchema: writeContentSchema,
      // Replaces every pod; each call starts another rollout.
      annotations: writeAnnotations({ destructive: true, idempotent: false }),
      handler: (args, { kube }) => restartWorkload(kube, args),
    }),
    defineTool({
      name: 'rollout_undo',
      title: 'Roll back a deployment',
      description:
        'Like `kubectl rollout undo deployment`: puts back the pod template of the previous revision, or of toRevision ' +
        '(see rollout_history). Previews by default (server-side dry run: revision and images before → after); dryRun: false applies it. ' +
        'The preview pins the revisions it resolved, so an approved undo cannot turn into another one if the deployment rolls out meanwhile.',
      inputSchema: {
        namespace: namespaceName,
        name: objectName.describe('Deployment name.'),
        toRevision: z.number().int().min(1).optional().describe('Revision to return to; the one before the current when omitted.'),
        fromRevision: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('Only undo while the deployment is still at this revision (the one the preview showed); refused if it moved on.'),
        dryRun: dryRunArgument,
      },
      outputSchema: writeContentSchema,
      // Replaces the running pods; undoing twice flips back.
      annotations: writeAnnotations({ destructive: true, idempotent: false }),
      handler: (args, { kube }) => undoDeployment(kube, args),
    }),
  ];
}
