import type { V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { describeContainers } from '../../../kube/describe-containers.ts';
import { formatAge } from '../../../kube/format-age.ts';
import { ownerChain } from '../../../kube/owner-chain.ts';
import { podReady, podRestarts, podStatus } from '../../../kube/pod-status.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import { withNotFoundHint } from '../../errors.ts';
import { clipText } from '../../../kube/clip-text.ts';
import { own, resultParts, untrusted } from '../../result-parts.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { listEvents } from './events.ts';
import { namespaceName } from './list-arguments.ts';

export const objectArguments = {
  namespace: namespaceName.describe('Namespace of the object.'),
  name: z.string().min(1).max(253).describe('Name of the object.'),
};

/** Reads a pod, or fails with a hint naming the tool that lists the pods. */
export function readPod(kube: KubeClient, { namespace, name }: { namespace: string; name: string }): Promise<V1Pod> {
  return callKube(kube, () => kube.core.readNamespacedPod({ namespace, name })).catch(
    withNotFoundHint(`Use pods_list with namespace "${namespace}" to see the pods there.`),
  );
}

/** The facts of a pod a person checks first, as a plain object with empty fields left out. */
export function podFacts(pod: V1Pod, owners: string[], now: Date = new Date()): Record<string, unknown> {
  const { ready, total } = podReady(pod);
  return {
    status: podStatus(pod),
    phase: pod.status?.phase,
    reason: pod.status?.reason,
    message: pod.status?.message,
    ready: `${ready}/${total}`,
    restarts: podRestarts(pod).restarts,
    ownerChain: owners.length > 0 ? ['Pod', ...owners].join(' → ') : undefined,
    node: pod.spec?.nodeName,
    podIPs: pod.status?.podIPs?.map((ip) => ip.ip).join(','),
    hostIP: pod.status?.hostIP,
    age: formatAge(pod.metadata?.creationTimestamp, now),
    qosClass: pod.status?.qosClass,
    deleting: pod.metadata?.deletionTimestamp === undefined ? undefined : `since ${formatAge(pod.metadata.deletionTimestamp, now)} ago`,
    conditionsNotTrue: conditionsNotTrue(pod),
    containers: describeContainers(pod, now).map(
      // reason and exit codes are already in state and lastState; the termination message is fenced apart.
      ({
        terminationMessage: _message,
        reason: _reason,
        exitCode: _exit,
        lastReason: _lastReason,
        lastExitCode: _lastExit,
        ...container
      }) => container,
    ),
    labels: pod.metadata?.labels,
  };
}

/** "Ready=False (ContainersNotReady): ..." for each condition that is not True; the True ones say nothing. */
export function conditionsNotTrue(pod: V1Pod): string[] | undefined {
  const bad = (pod.status?.conditions ?? []).filter((c) => c.status !== 'True');
  return bad.length === 0
    ? undefined
    : bad.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${clipText(c.message, 300)}` : ''}`);
}

/**
 * pod_get: a pod as short YAML — status, owner chain, node, IPs, conditions, each container's state
 * with its last termination (reason, exit code) and restarts — then its recent events, Warnings first.
 * Everything read from the pod is cluster data, fenced; only the heading is the tool's own.
 */
export async function getPod(kube: KubeClient, { namespace, name }: { namespace: string; name: string }): Promise<ToolResult> {
  const pod = await readPod(kube, { namespace, name });
  const [owners, events] = await Promise.all([
    ownerChain(kube, { namespace, ownerReferences: pod.metadata?.ownerReferences }),
    listEvents(kube, { namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}`, max: 10 }),
  ]);
  const facts = podFacts(pod, owners);
  const messages = describeContainers(pod).flatMap((c) => (c.terminationMessage ? [`${c.name}: ${c.terminationMessage}`] : []));
  const text = [
    own(`pod ${namespace}/${name}:`),
    untrusted(`status of pod ${namespace}/${name}`, stringify(pruneObject(facts), { lineWidth: 0 }).trimEnd()),
  ];
  if (messages.length > 0) text.push(untrusted(`termination messages of pod ${namespace}/${name}`, messages.join('\n')));
  text.push(own(''), ...resultParts(events.text, `events of pod ${namespace}/${name}`));
  return {
    text,
    structuredContent: {
      pod: pruneObject({
        namespace,
        name,
        ...facts,
        containers: describeContainers(pod).map(({ terminationMessage: _m, ...c }) => c),
        conditions: pod.status?.conditions,
      }) as Record<string, unknown>,
      events: events.structuredContent?.events ?? [],
    },
  };
}
