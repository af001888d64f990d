import { z } from 'zod';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { ToolFailure } from '../../errors.ts';
import { defineTool, READ_ONLY, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { describe } from '../core/describe.ts';
import { listDeployments } from '../core/deployments.ts';
import { listEvents } from '../core/events.ts';
import { listNodes } from '../core/nodes.ts';
import { listPods } from '../core/pods.ts';
import { readPodLogs } from '../core/read-pod-logs.ts';
import { rolloutStatus } from '../core/rollout-status.ts';
import { listServices } from '../core/services.ts';
import { top } from '../core/top.ts';
import { ALLOWED_COMMANDS, parseKubectlCommand, type KubectlCommand } from './parse-kubectl-command.ts';
import { own } from '../../result-parts.ts';

/** Runs one parsed command through the same native functions the other tools use. */
export async function runKubectlCommand(kube: KubeClient, command: KubectlCommand, budgetTokens?: number): Promise<ToolResult> {
  const namespaceOf = (c: { namespace?: string; allNamespaces?: boolean }) =>
    c.allNamespaces === true ? undefined : (c.namespace ?? kube.defaultNamespace);
  switch (command.verb) {
    case 'get': {
      const namespace = command.resource === 'nodes' ? undefined : namespaceOf(command);
      const byName = command.name === undefined ? undefined : `metadata.name=${command.name}`;
      const fieldSelector = [command.fieldSelector, byName].filter((s) => s !== undefined).join(',') || undefined;
      const args = { namespace, labelSelector: command.labelSelector, fieldSelector };
      const result = await listResource(kube, command.resource, args, budgetTokens);
      if (command.name !== undefined && result.structuredContent?.summary !== undefined) {
        const { total } = result.structuredContent.summary as { total: number };
        if (total === 0) {
          const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
          throw new ToolFailure(`${command.resource} "${command.name}" not found${where}. Run \`get ${command.resource}\`${where ? ` -n ${namespace}` : ''} to see the names.`);
        }
      }
      return result;
    }
    case 'describe':
      return describe(kube, { kind: command.kind, name: command.name, namespace: command.namespace ?? kube.defaultNamespace });
    case 'logs':
      return readPodLogs(kube, {
        namespace: command.namespace ?? kube.defaultNamespace,
        name: command.pod,
        container: command.container,
        previous: command.previous,
        tail: command.tail,
      }, budgetTokens);
    case 'top':
      return top(kube, { resource: command.resource, namespace: command.resource === 'nodes' ? undefined : namespaceOf(command), labelSelector: command.labelSelector });
    case 'events':
      return listEvents(kube, { namespace: namespaceOf(command) });
    case 'rollout-status':
      return rolloutStatus(kube, { namespace: command.namespace ?? kube.defaultNamespace, name: command.name });
  }
}

function listResource(
  kube: KubeClient,
  resource: Extract<KubectlCommand, { verb: 'get' }>['resource'],
  args: { namespace: string | undefined; labelSelector: string | undefined; fieldSelector: string | undefined },
  budgetTokens: number | undefined,
): Promise<ToolResult> {
  switch (resource) {
    case 'pods':
      return listPods(kube, args, budgetTokens);
    case 'deployments':
      return listDeployments(kube, args, budgetTokens);
    case 'services':
      return listServices(kube, args, budgetTokens);
    case 'nodes':
      return listNodes(kube, args, budgetTokens);
    case 'events':
      return listEvents(kube, args);
  }
}

/** The resource kind a command reads, for MCP_DENIED_KINDS. */
function kindOf(command: KubectlCommand): string {
  switch (command.verb) {
    case 'get':
    case 'top':
      return command.resource;
    case 'describe':
      return command.kind;
    case 'logs':
      return 'pods';
    case 'events':
      return 'events';
    case 'rollout-status':
      return 'deployments';
  }
}

export function kubectlTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'kubectl',
      title: 'Run a read-only kubectl command',
      description:
        'Runs one kubectl-style command line, read-only, answered from the Kubernetes API (no shell). Allowed: ' +
        ALLOWED_COMMANDS.map((c) => `kubectl ${c}`).join('; ') +
        '. Anything else (apply, delete, edit, exec, scale, get secrets, ...) is refused. Prefer the dedicated tools when one fits.',
      inputSchema: {
        command: z.string().min(1).max(1000).describe('e.g. "kubectl get pods -n shop -l app=checkout"'),
      },
      annotations: READ_ONLY,
      handler: async ({ command }, { kube, outputTokens, deniesKind }) => {
        const parsed = parseKubectlCommand(command);
        if (!parsed.ok) return { text: [own(parsed.message)], isError: true, structuredContent: { error: { code: 'tool_refused' } } };
        const kind = kindOf(parsed.command);
        if (deniesKind?.(kind) === true) {
          return { text: [own(`refused: resource kind ${kind} is denied on this MCP server (MCP_DENIED_KINDS).`)], isError: true, structuredContent: { error: { code: 'tool_refused' } } };
        }
        return runKubectlCommand(kube, parsed.command, outputTokens);
      },
    }),
  ];
}
