import type { V1Pod } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { labelSelectorString } from '../../../kube/label-selector.ts';
import { readWorkload, workloadPods, type WorkloadKind } from '../../../kube/read-workload.ts';
import { ToolFailure, withNotFoundHint } from '../../errors.ts';
import { own, resultParts } from '../../result-parts.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { readPodLogs } from '../core/read-pod-logs.ts';
import type { KubectlCommand, LogSource } from '../../../contract/kubectl/parse-kubectl-command.ts';

type LogsCommand = Extract<KubectlCommand, { verb: 'logs' }>;

const WORKLOAD_KIND: Record<Exclude<LogSource, 'pod' | 'replicaset'>, WorkloadKind> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  job: 'Job',
};

/**
 * `kubectl logs` of a pod, of a workload's first pod (`deploy/x`, `sts/x`, `job/x`, …) or of the first pod
 * a selector matches, as kubectl picks it: running and ready pods first. A pod with several containers
 * and no `-c` gives its default container's logs (the `kubectl.kubernetes.io/default-container`
 * annotation, else the first), saying so.
 */
export async function kubectlLogs(kube: KubeClient, command: LogsCommand, budgetTokens: number | undefined): Promise<ToolResult> {
  const namespace = command.namespace ?? kube.defaultNamespace;
  const { pod, note } = await choosePod(kube, command, namespace);
  const containers = pod.spec?.containers.map((c) => c.name) ?? [];
  let container = command.container;
  const notes = note === undefined ? [] : [note];
  if (container === undefined && containers.length > 1) {
    container = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0];
    notes.push(`Defaulted container "${container ?? ''}" out of: ${containers.join(', ')} (choose with -c).`);
  }
  const result = await readPodLogs(
    kube,
    {
      namespace,
      name: pod.metadata?.name ?? '',
      container,
      previous: command.previous,
      tail: command.tail,
      sinceSeconds: command.sinceSeconds,
    },
    budgetTokens,
  );
  if (notes.length === 0) return result;
  return { ...result, text: [own(notes.join('\n')), ...resultParts(result.text, `logs of pod ${namespace}/${pod.metadata?.name ?? ''}`)] };
}

async function choosePod(kube: KubeClient, command: LogsCommand, namespace: string): Promise<{ pod: V1Pod; note?: string }> {
  const source = command.source;
  if (source?.kind === 'pod') {
    const pod = await callKube(kube, () => kube.core.readNamespacedPod({ namespace, name: source.name })).catch(
      withNotFoundHint(`Run get pods -n ${namespace} to see the pods there.`),
    );
    return { pod };
  }
  let pods: V1Pod[];
  let what: string;
  if (source === undefined) {
    const labelSelector = command.labelSelector ?? '';
    pods = (await callKube(kube, () => kube.core.listNamespacedPod({ namespace, labelSelector, limit: 500 }))).items;
    what = `selector ${labelSelector}`;
  } else if (source.kind === 'replicaset') {
    const rs = await callKube(kube, () => kube.apps.readNamespacedReplicaSet({ namespace, name: source.name })).catch(
      withNotFoundHint(`Run get rs -n ${namespace} to see the ReplicaSets there.`),
    );
    const list = await callKube(kube, () =>
      kube.core.listNamespacedPod({ namespace, labelSelector: labelSelectorString(rs.spec?.selector) || undefined, limit: 500 }),
    );
    pods = list.items.filter((p) => (p.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === rs.metadata?.uid));
    what = `replicaset/${source.name}`;
  } else {
    const kind = WORKLOAD_KIND[source.kind];
    const workload = await readWorkload(kube, { kind, namespace, name: source.name }).catch(
      withNotFoundHint(`Run get ${source.kind}s -n ${namespace} to see the names there.`),
    );
    pods = await workloadPods(kube, workload);
    what = `${source.kind}/${source.name}`;
  }
  const [first] = [...pods].sort(byActiveFirst);
  if (first === undefined) throw new ToolFailure(`no pods found for ${what} in namespace ${namespace}, so there are no logs to show.`);
  const note = `${pods.length === 1 ? 'The one pod' : `First of ${pods.length} pods`} of ${what}: ${first.metadata?.name ?? ''}.`;
  return { pod: first, note };
}

/** Running and ready before the rest, then by name: the pod kubectl would pick, deterministically. */
function byActiveFirst(a: V1Pod, b: V1Pod): number {
  const rank = (p: V1Pod) =>
    (p.status?.phase === 'Running' ? 0 : 2) - ((p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 1 : 0);
  return rank(a) - rank(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
