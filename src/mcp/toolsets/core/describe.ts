import { stringify } from 'yaml';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { describeContainers } from '../../../kube/describe-containers.ts';
import { podStatus } from '../../../kube/pod-status.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import { summarizeContainers } from '../../../kube/summarize-containers.ts';
import { summarizeDeployment } from '../../../kube/summarize-deployment.ts';
import { withNotFoundHint } from '../../errors.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { listEvents } from './events.ts';
import { own, resultParts, untrusted } from '../../result-parts.ts';

export interface DescribeOptions {
  kind: 'pod' | 'deployment';
  namespace: string;
  name: string;
}

/**
 * What `kubectl describe` tells you, as short YAML: status, containers with their last termination,
 * conditions, owners, then the object's recent events. All of it is cluster text (messages, termination
 * messages, conditions), so all of it is fenced; no annotations: they are free text and can be large.
 */
export async function describe(kube: KubeClient, { kind, namespace, name }: DescribeOptions): Promise<ToolResult> {
  const hint = `Use ${kind === 'pod' ? 'pods_list' : 'deployments_list'} with namespace "${namespace}" to see the names there.`;
  const summary = kind === 'pod' ? await describePod(kube, namespace, name, hint) : await describeDeployment(kube, namespace, name, hint);
  const events = await listEvents(kube, {
    namespace,
    fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind === 'pod' ? 'Pod' : 'Deployment'}`,
    max: 20,
  });
  const yaml = stringify(pruneObject(summary), { lineWidth: 0 }).trimEnd();
  return {
    text: [
      own(`${kind} ${namespace}/${name}:`),
      untrusted(`${kind} ${namespace}/${name}`, yaml),
      own(''),
      ...resultParts(events.text, `events of ${kind} ${namespace}/${name}`),
    ],
    structuredContent: { [kind]: summary, events: events.structuredContent?.events ?? [] },
  };
}

async function describePod(kube: KubeClient, namespace: string, name: string, hint: string): Promise<Record<string, unknown>> {
  const pod = await callKube(kube, () => kube.core.readNamespacedPod({ namespace, name })).catch(withNotFoundHint(hint));
  const details = describeContainers(pod);
  return {
    status: podStatus(pod),
    phase: pod.status?.phase,
    node: pod.spec?.nodeName,
    podIP: pod.status?.podIP,
    started: pod.status?.startTime,
    labels: pod.metadata?.labels,
    ownedBy: pod.metadata?.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
    containers: summarizeContainers(pod).map(({ namespace: _ns, pod: _pod, ...c }) => {
      const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((s) => s.name === c.container);
      // As kubectl describe: what the application wrote when it last ended (terminationMessagePath).
      const terminationMessage = details.find((d) => d.name === c.container)?.terminationMessage;
      return { ...c, terminationMessage, requests: spec?.resources?.requests, limits: spec?.resources?.limits };
    }),
    conditions: pod.status?.conditions?.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`),
    message: pod.status?.message,
    qosClass: pod.status?.qosClass,
  };
}

async function describeDeployment(kube: KubeClient, namespace: string, name: string, hint: string): Promise<Record<string, unknown>> {
  const deployment = await callKube(kube, () => kube.apps.readNamespacedDeployment({ namespace, name })).catch(withNotFoundHint(hint));
  const row = summarizeDeployment(deployment);
  return {
    ready: row.ready,
    upToDate: row.updated,
    available: row.available,
    strategy: deployment.spec?.strategy?.type,
    selector: deployment.spec?.selector.matchLabels,
    containers: deployment.spec?.template.spec?.containers.map((c) => ({
      name: c.name,
      image: c.image,
      requests: c.resources?.requests,
      limits: c.resources?.limits,
    })),
    conditions: deployment.status?.conditions?.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}: ${c.message ?? ''}`),
    revision: deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'],
  };
}
