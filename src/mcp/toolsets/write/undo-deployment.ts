import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { noChange, qualified, WRITE_CALL, writeResult, type FieldChange, type WritePreview } from './write-result.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH = 'pod-template-hash';
/** Annotations kubectl keeps from the deployment rather than copying from the ReplicaSet (kubectl's annotationsToSkip). */
const KEPT_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/**
 * `kubectl rollout undo deployment`: puts back the pod template of an earlier revision, taken from the
 * deployment's own ReplicaSets (`toRevision`, or the one before the current). Same patch as kubectl
 * (template and annotations replaced), guarded by the read's resourceVersion. The preview resolves both
 * revisions and returns them as `resolvedArguments`, so the approved call undoes exactly what the card
 * showed: to that revision, and only from the revision it was at (`fromRevision`), else refused.
 */
export async function undoDeployment(
  kube: KubeClient,
  {
    namespace,
    name,
    toRevision,
    fromRevision,
    dryRun,
  }: { namespace: string; name: string; toRevision?: number | undefined; fromRevision?: number | undefined; dryRun: boolean },
): Promise<ToolResult> {
  const where = qualified(namespace, name);
  const deployment = await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })).catch(
    withNotFoundHint(`Use deployments_list with namespace ${namespace} to see its deployments.`),
  );
  if (deployment.spec?.paused === true) {
    throw new ToolFailure(`deployment ${where} is paused: resume it before rolling back.`, { code: 'tool_refused' });
  }
  const history = await ownedReplicaSets(kube, deployment);
  const revisions = [...history.keys()].sort((a, b) => a - b);
  const current = Number(deployment.metadata?.annotations?.[REVISION] ?? revisions.at(-1) ?? 0);
  if (fromRevision !== undefined && current !== fromRevision) {
    throw new ToolFailure(
      `deployment ${where} is at revision ${current} now, not ${fromRevision} as previewed: it rolled out since. Nothing was changed; preview the undo again (rollout_history shows the revisions).`,
      { code: 'tool_refused' },
    );
  }
  const wanted = toRevision ?? revisions.filter((revision) => revision < current).at(-1);
  if (wanted === undefined) {
    throw new ToolFailure(
      `deployment ${where} has no revision before ${current} to roll back to (revisions: ${revisions.join(', ') || 'none'}).`,
    );
  }
  const replicaSet = history.get(wanted);
  if (replicaSet?.spec?.template === undefined) {
    throw new ToolFailure(
      `deployment ${where} has no revision ${wanted}; its revisions are ${revisions.join(', ') || 'none'} (see rollout_history).`,
    );
  }
  const target = withoutHash(replicaSet.spec.template);
  const base = { target: { kind: 'Deployment', namespace, name, context: kube.context } };
  if (stableJson(target) === stableJson(withoutHash(deployment.spec?.template))) {
    return noChange({
      preview: { ...base, summary: `deployment ${where} already runs the pod template of revision ${wanted}`, changes: [] },
    });
  }
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {}))
    if (KEPT_ANNOTATIONS.has(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(replicaSet.metadata?.annotations ?? {}))
    if (!KEPT_ANNOTATIONS.has(key)) annotations[key] = value;
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: deployment.metadata?.resourceVersion },
    { op: 'replace', path: '/spec/template', value: target },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  const dry = await callKube(kube, () => kube.apps.patchNamespacedDeployment({ namespace, name, body, dryRun: 'All' }), WRITE_CALL);
  const imageChanges = imageDiff(deployment.spec?.template, dry.spec?.template);
  const preview: WritePreview = {
    ...base,
    summary:
      `undo deployment ${where}: revision ${current} → pod template of revision ${wanted}` +
      (imageChanges.length > 0
        ? ` (${imageChanges.map((c) => `${c.container}: ${c.before ?? 'none'} → ${c.after ?? 'none'}`).join(', ')})`
        : ' (same images; other template fields differ)'),
    changes: [
      { field: 'revision', before: current, after: wanted },
      ...imageChanges.map((c): FieldChange => ({
        field: `spec.template.spec.containers[${c.container}].image`,
        before: c.before ?? null,
        after: c.after ?? null,
      })),
    ],
  };
  if (dryRun)
    return writeResult({ tool: 'rollout_undo', preview, applied: false, resolvedArguments: { toRevision: wanted, fromRevision: current } });
  await callKube(kube, () => kube.apps.patchNamespacedDeployment({ namespace, name, body }), WRITE_CALL);
  return writeResult({ tool: 'rollout_undo', preview, applied: true });
}

/** The deployment's ReplicaSets by revision (controller reference, as kubectl matches them). */
async function ownedReplicaSets(kube: KubeClient, deployment: V1Deployment): Promise<Map<number, V1ReplicaSet>> {
  const namespace = deployment.metadata?.namespace ?? '';
  const matchLabels = deployment.spec?.selector.matchLabels ?? {};
  // matchLabels narrows the list; the owner check below is what decides.
  const labelSelector =
    Object.entries(matchLabels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',') || undefined;
  const list = await callKube(kube, () => kube.apps.listNamespacedReplicaSet({ namespace, labelSelector }));
  const byRevision = new Map<number, V1ReplicaSet>();
  for (const replicaSet of list.items) {
    const owned = replicaSet.metadata?.ownerReferences?.some((ref) => ref.controller === true && ref.uid === deployment.metadata?.uid);
    const revision = Number(replicaSet.metadata?.annotations?.[REVISION]);
    if (owned === true && Number.isInteger(revision) && revision > 0) byRevision.set(revision, replicaSet);
  }
  return byRevision;
}

function withoutHash(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const labels = Object.fromEntries(Object.entries(template?.metadata?.labels ?? {}).filter(([key]) => key !== TEMPLATE_HASH));
  return { ...template, metadata: { ...template?.metadata, labels } };
}

function imageDiff(from: V1PodTemplateSpec | undefined, to: V1PodTemplateSpec | undefined) {
  const images = (template: V1PodTemplateSpec | undefined) => new Map((template?.spec?.containers ?? []).map((c) => [c.name, c.image]));
  const before = images(from);
  const after = images(to);
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((container) => before.get(container) !== after.get(container))
    .map((container) => ({ container, before: before.get(container), after: after.get(container) }));
}

/** JSON with sorted keys and no undefined or null fields, so equal templates compare equal. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined && x !== null)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
