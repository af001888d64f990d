import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { own, resultParts } from '../../result-parts.ts';
import type { ToolContext, ToolResult } from '../../tool-definition.ts';
import { describe } from '../core/describe.ts';
import { listEvents } from '../core/events.ts';
import { resolveOrExplain } from '../core/resources.ts';
import { getObject } from './kubectl-get.ts';
import type { KubectlCommand } from '../../../contract/kubectl/parse-kubectl-command.ts';

type DescribeCommand = Extract<KubectlCommand, { verb: 'describe' }>;

/**
 * `kubectl describe` of any type: pods and deployments get the describe tool's summary; any other
 * object (nodes, CRDs, …) its pruned YAML (a Secret's key names only) followed by its events.
 */
export async function kubectlDescribe(
  kube: KubeClient,
  command: DescribeCommand,
  deniesKind: ToolContext['deniesKind'],
): Promise<ToolResult> {
  const resource = await resolveOrExplain(kube, { kind: command.type }, deniesKind);
  const namespace = resource.namespaced ? (command.namespace ?? kube.defaultNamespace) : undefined;
  if (namespace !== undefined && resource.group === '' && resource.resource === 'pods')
    return describe(kube, { kind: 'pod', namespace, name: command.name });
  if (namespace !== undefined && resource.group === 'apps' && resource.resource === 'deployments') {
    return describe(kube, { kind: 'deployment', namespace, name: command.name });
  }
  const object = await getObject(kube, resource, namespace, command.name, 'yaml');
  const events = await listEvents(kube, {
    namespace,
    fieldSelector: `involvedObject.name=${command.name},involvedObject.kind=${resource.kind}`,
    max: 20,
  });
  const where = namespace === undefined ? command.name : `${namespace}/${command.name}`;
  return {
    text: [
      ...resultParts(object.text, `${resource.kind} ${where}`),
      own(''),
      ...resultParts(events.text, `events of ${resource.kind} ${where}`),
    ],
    structuredContent: { ...object.structuredContent, events: events.structuredContent?.events ?? [] },
  };
}
