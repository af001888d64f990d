import type { V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { qualified, WRITE_CALL, writeResult, type WritePreview } from './write-result.ts';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export type RestartableKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** What restart needs of the three workload kinds. */
interface Workload {
  metadata?: V1ObjectMeta;
  spec?: { template: V1PodTemplateSpec; paused?: boolean; replicas?: number };
  status?: { desiredNumberScheduled?: number; replicas?: number };
}

type JsonPatch = { op: 'add' | 'replace' | 'test'; path: string; value: unknown }[];

function workloadApi(kube: KubeClient, kind: RestartableKind) {
  switch (kind) {
    case 'Deployment':
      return {
        read: (p: { namespace: string; name: string }): Promise<Workload> => kube.apps.readNamespacedDeployment(p),
        patch: (p: { namespace: string; name: string; body: JsonPatch; dryRun?: string }): Promise<Workload> =>
          kube.apps.patchNamespacedDeployment(p),
      };
    case 'StatefulSet':
      return {
        read: (p: { namespace: string; name: string }): Promise<Workload> => kube.apps.readNamespacedStatefulSet(p),
        patch: (p: { namespace: string; name: string; body: JsonPatch; dryRun?: string }): Promise<Workload> =>
          kube.apps.patchNamespacedStatefulSet(p),
      };
    case 'DaemonSet':
      return {
        read: (p: { namespace: string; name: string }): Promise<Workload> => kube.apps.readNamespacedDaemonSet(p),
        patch: (p: { namespace: string; name: string; body: JsonPatch; dryRun?: string }): Promise<Workload> =>
          kube.apps.patchNamespacedDaemonSet(p),
      };
  }
}

/**
 * `kubectl rollout restart`: stamps the pod template with kubectl.kubernetes.io/restartedAt, so the
 * controller rolls out fresh pods. A JSON patch guarded by the read's resourceVersion (the default patch
 * type of client-node), so what is applied is exactly what was previewed.
 */
export async function restartWorkload(
  kube: KubeClient,
  {
    kind,
    namespace,
    name,
    dryRun,
    now = new Date(),
  }: { kind: RestartableKind; namespace: string; name: string; dryRun: boolean; now?: Date },
): Promise<ToolResult> {
  const api = workloadApi(kube, kind);
  const noun = kind.toLowerCase();
  const workload = await callKube(kube, () => api.read({ namespace, name })).catch(
    withNotFoundHint(`Use resources_list or deployments_list with namespace ${namespace} to see its ${noun}s.`),
  );
  if (workload.spec?.paused === true) {
    throw new ToolFailure(
      `${noun} ${qualified(namespace, name)} is paused: a restart would not roll out until it is resumed. Resume it first.`,
      {
        code: 'tool_refused',
      },
    );
  }
  // kubectl stamps RFC 3339 seconds.
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const template = workload.spec?.template;
  const before = template?.metadata?.annotations?.[RESTARTED_AT];
  const body: JsonPatch = [
    { op: 'test', path: '/metadata/resourceVersion', value: workload.metadata?.resourceVersion },
    template?.metadata === undefined
      ? { op: 'add', path: '/spec/template/metadata', value: { annotations: { [RESTARTED_AT]: stamp } } }
      : template.metadata.annotations === undefined
        ? { op: 'add', path: '/spec/template/metadata/annotations', value: { [RESTARTED_AT]: stamp } }
        : { op: 'add', path: `/spec/template/metadata/annotations/${RESTARTED_AT.replace('/', '~1')}`, value: stamp },
  ];
  const dry = await callKube(kube, () => api.patch({ namespace, name, body, dryRun: 'All' }), WRITE_CALL);
  const after = dry.spec?.template.metadata?.annotations?.[RESTARTED_AT];
  const pods = kind === 'DaemonSet' ? workload.status?.desiredNumberScheduled : workload.spec?.replicas;
  const preview: WritePreview = {
    summary:
      `restart ${noun} ${qualified(namespace, name)}: new rollout replacing ${pods === undefined ? 'its' : `its ${pods}`} pod(s) ` +
      `(${RESTARTED_AT} ${before ?? 'unset'} → ${after ?? 'unset'})`,
    target: { kind, namespace, name, context: kube.context },
    changes: [{ field: `spec.template.metadata.annotations["${RESTARTED_AT}"]`, before: before ?? null, after: after ?? null }],
  };
  if (dryRun) return writeResult({ tool: 'rollout_restart', preview, applied: false });
  await callKube(kube, () => api.patch({ namespace, name, body }), WRITE_CALL);
  return writeResult({ tool: 'rollout_restart', preview, applied: true });
}
