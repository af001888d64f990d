import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { listApiResources } from '../../../kube/resolve-resource.ts';
import { ToolFailure } from '../../errors.ts';
import { formatTable } from '../../format-table.ts';
import { own, untrusted } from '../../result-parts.ts';
import type { ToolContext, ToolResult } from '../../tool-definition.ts';
import { clusterInfo } from '../core/cluster.ts';
import { listContexts } from '../core/contexts.ts';
import { listEvents } from '../core/events.ts';
import { resolveOrExplain } from '../core/resources.ts';
import { rolloutHistory } from '../core/rollout-history.ts';
import { rolloutStatus } from '../core/rollout-status.ts';
import { top } from '../core/top.ts';
import { kubectlDescribe } from './kubectl-describe.ts';
import { kubectlGet } from './kubectl-get.ts';
import { kubectlLogs } from './kubectl-logs.ts';
import type { KubectlCommand } from '../../../contract/kubectl/parse-kubectl-command.ts';

export interface RunKubectlCommandOptions {
  kube: KubeClient;
  command: KubectlCommand;
  budgetTokens?: number | undefined;
  deniesKind?: ToolContext['deniesKind'];
}

/** Runs one parsed command through the same native functions the other tools use. */
export async function runKubectlCommand({ kube, command, budgetTokens, deniesKind }: RunKubectlCommandOptions): Promise<ToolResult> {
  const namespaceOf = (c: { namespace?: string; allNamespaces?: boolean }) =>
    c.allNamespaces === true ? undefined : (c.namespace ?? kube.defaultNamespace);
  // Verbs that read a fixed kind (logs read Pods, top Pods or Nodes, events Events) are refused here for a denied
  // kind, as a `kind` argument is refused centrally: MCP_DENIED_KINDS holds whatever the command's spelling.
  const refuse = (kind: string): void => {
    if (deniesKind?.(kind) === true)
      throw new ToolFailure(`refused: resource kind ${kind} is denied on this MCP server (MCP_DENIED_KINDS).`, { code: 'tool_refused' });
  };
  if (command.verb === 'logs') refuse('Pod');
  if (command.verb === 'top') refuse(command.resource === 'nodes' ? 'Node' : 'Pod');
  if (command.verb === 'events') refuse('Event');
  switch (command.verb) {
    case 'get':
      return kubectlGet(kube, command, { budgetTokens, deniesKind });
    case 'describe':
      return kubectlDescribe(kube, command, deniesKind);
    case 'logs':
      return kubectlLogs(kube, command, budgetTokens);
    case 'top':
      return top(kube, {
        resource: command.resource,
        namespace: command.resource === 'nodes' ? undefined : namespaceOf(command),
        labelSelector: command.labelSelector,
      });
    case 'events': {
      const involved = command.for === undefined ? undefined : await resolveOrExplain(kube, { kind: command.for.type }, deniesKind);
      const selectors = [
        ...(involved === undefined || command.for === undefined
          ? []
          : [`involvedObject.kind=${involved.kind}`, `involvedObject.name=${command.for.name}`]),
        ...(command.types === undefined || command.types.includes(',') ? [] : [`type=${command.types}`]),
      ];
      const namespace = involved !== undefined && !involved.namespaced ? undefined : namespaceOf(command);
      return listEvents(kube, { namespace, fieldSelector: selectors.join(',') || undefined });
    }
    case 'rollout-status':
      return rolloutStatus(kube, { namespace: command.namespace ?? kube.defaultNamespace, name: command.name });
    case 'rollout-history':
      return rolloutHistory(kube, { namespace: command.namespace ?? kube.defaultNamespace, name: command.name });
    case 'api-resources':
      return apiResources(kube);
    case 'cluster-info':
      return clusterInfo(kube);
    case 'contexts':
      return listContexts(kube);
  }
}

async function apiResources(kube: KubeClient): Promise<ToolResult> {
  const resources = await listApiResources(kube);
  const table = formatTable(resources, [
    { header: 'name', value: (r) => r.resource },
    { header: 'shortnames', value: (r) => r.shortNames.join(',') },
    { header: 'apiversion', value: (r) => r.apiVersion },
    { header: 'namespaced', value: (r) => String(r.namespaced) },
    { header: 'kind', value: (r) => r.kind },
  ]);
  // CRD names and kinds are whoever installed them: data, fenced.
  return {
    text: [own(`${resources.length} resource types the API serves:`), untrusted('API discovery', table)],
    structuredContent: { resources },
  };
}
