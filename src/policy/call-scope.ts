import type Anthropic from '@anthropic-ai/sdk';
import { isKnownNamespacedType } from './namespaced-types.ts';
import { parseKubectlCommand, type KubectlCommand } from '../contract/kubectl/parse-kubectl-command.ts';
import { TOOL_NAMES } from '../contract/tool-names.ts';

/**
 * Where a tool call reaches, as far as the channel policy cares:
 * - `namespace`: one namespace, named;
 * - `all-namespaces`: a namespaced tool called without one (list tools then list every namespace), or kubectl -A;
 * - `unnamed-namespace`: kubectl without -n (the kubeconfig context's namespace, unknown to the worker);
 * - `cluster`: a tool that takes no namespace (nodes, namespaces, cluster overview, node drain, ...).
 * `context` is the kube context it names, or undefined for the MCP server's own.
 */
export type CallScope = { context: string | undefined } & Reach;

type Reach =
  | { kind: 'namespace'; namespace: string }
  | { kind: 'all-namespaces' | 'unnamed-namespace' | 'cluster' }
  /** kubectl whose command does not parse: the MCP server refuses it with its own message. */
  | { kind: 'unparsed' };

export function callScope(tool: Anthropic.Tool | undefined, name: string, input: unknown): CallScope {
  const args = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const context = typeof args.context === 'string' && args.context !== '' ? args.context : undefined;
  if (name === TOOL_NAMES.kubectl) return { context, ...kubectlScope(typeof args.command === 'string' ? args.command : '') };
  if (typeof args.namespace === 'string' && args.namespace !== '') return { context, kind: 'namespace', namespace: args.namespace };
  return { context, kind: takesNamespace(tool) ? 'all-namespaces' : 'cluster' };
}

/** Whether a tool's input schema has a `namespace` property (namespaced tools do; cluster-wide ones do not). */
export function takesNamespace(tool: Anthropic.Tool | undefined): boolean {
  const properties = (tool?.input_schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties !== undefined && 'namespace' in properties;
}

function kubectlScope(line: string): Reach {
  const parsed = parseKubectlCommand(line);
  if (!parsed.ok) return { kind: 'unparsed' };
  const command = parsed.command;
  if (reachesCluster(command)) return { kind: 'cluster' };
  if ('allNamespaces' in command && command.allNamespaces) return { kind: 'all-namespaces' };
  const namespace = 'namespace' in command ? command.namespace : undefined;
  return namespace === undefined ? { kind: 'unnamed-namespace' } : { kind: 'namespace', namespace };
}

/**
 * Does the command read beyond namespaces? Any type not known to be namespaced counts (nodes, namespaces,
 * CRDs …: `-n` would not narrow them), as do discovery, cluster-info and the kubeconfig's contexts.
 */
function reachesCluster(command: KubectlCommand): boolean {
  switch (command.verb) {
    case 'get':
      return command.types.some((t) => t !== 'all' && !isKnownNamespacedType(t));
    case 'describe':
      return !isKnownNamespacedType(command.type);
    case 'top':
      return command.resource === 'nodes';
    case 'events':
      return command.for !== undefined && !isKnownNamespacedType(command.for.type);
    case 'api-resources':
    case 'cluster-info':
    case 'contexts':
      return true;
    case 'logs':
    case 'rollout-status':
    case 'rollout-history':
      return false;
  }
}
