import { defineTool, writeAnnotations, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { readNodeForWrite, setUnschedulable } from './cordon-node.ts';
import { drainNode } from './drain-node.ts';
import { gracePeriodArgument } from './pods.ts';
import { dryRunArgument, noChange, objectName, writeResult, type WritePreview } from './write-result.ts';
import { writeContentSchema } from '../../../contract/write-content.ts';

async function cordonOrUncordon(
  kube: KubeClient,
  { name, dryRun, cordon }: { name: string; dryRun: boolean; cordon: boolean },
): Promise<ToolResult> {
  const tool = cordon ? 'node_cordon' : 'node_uncordon';
  const node = await readNodeForWrite(kube, name);
  const target = { kind: 'Node', name, context: kube.context };
  if ((node.spec?.unschedulable === true) === cordon) {
    return noChange({
      preview: {
        summary: `node ${name} is already ${cordon ? 'cordoned' : 'schedulable'} (spec.unschedulable ${String(cordon)})`,
        target,
        changes: [],
      },
    });
  }
  const change = await setUnschedulable(kube, node, { unschedulable: cordon, dryRun: true });
  const preview: WritePreview = {
    summary:
      `${cordon ? 'cordon' : 'uncordon'} node ${name}: spec.unschedulable ${String(change.before)} → ${String(change.after)} ` +
      (cordon ? '(no new pods scheduled there; running pods stay)' : '(pods can be scheduled there again)'),
    target,
    changes: [change],
  };
  if (dryRun) return writeResult({ tool, preview, applied: false });
  await setUnschedulable(kube, node, { unschedulable: cordon, dryRun: false });
  return writeResult({ tool, preview, applied: true });
}

export function nodeWriteTools(): ToolDefinition[] {
  const nodeName = objectName.describe('Node name.');
  return [
    defineTool({
      name: 'node_cordon',
      title: 'Cordon a node',
      description: 'Marks a node unschedulable (running pods stay). Previews by default (server-side dry run); dryRun: false applies it.',
      inputSchema: { name: nodeName, dryRun: dryRunArgument },
      outputSchema: writeContentSchema,
      // Reversible with node_uncordon and stops nothing.
      annotations: writeAnnotations({ destructive: false, idempotent: true }),
      handler: ({ name, dryRun }, { kube }) => cordonOrUncordon(kube, { name, dryRun, cordon: true }),
    }),
    defineTool({
      name: 'node_uncordon',
      title: 'Uncordon a node',
      description: 'Marks a node schedulable again. Previews by default (server-side dry run); dryRun: false applies it.',
      inputSchema: { name: nodeName, dryRun: dryRunArgument },
      outputSchema: writeContentSchema,
      annotations: writeAnnotations({ destructive: false, idempotent: true }),
      handler: ({ name, dryRun }, { kube }) => cordonOrUncordon(kube, { name, dryRun, cordon: false }),
    }),
    defineTool({
      name: 'node_drain',
      title: 'Drain a node',
      description:
        'Like `kubectl drain --ignore-daemonsets`: cordons the node and evicts its pods through the Eviction API, honouring ' +
        'PodDisruptionBudgets; DaemonSet and mirror pods are skipped. Previews by default (server-side dry run: each pod evicted, ' +
        'blocked by a budget, or skipped); dryRun: false applies it and reports what could not be evicted.',
      inputSchema: { name: nodeName, gracePeriodSeconds: gracePeriodArgument, dryRun: dryRunArgument },
      outputSchema: writeContentSchema,
      // Evicting again finds nothing more to evict.
      annotations: writeAnnotations({ destructive: true, idempotent: true }),
      handler: (args, { kube }) => drainNode(kube, args),
    }),
  ];
}
