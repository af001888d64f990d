import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';
import { callScope, takesNamespace, type CallScope } from './call-scope.ts';
import { admits, type ChannelPolicy } from './channel-policy.ts';
import { TOOL_NAMES } from '../contract/tool-names.ts';

export interface ChannelPolicyToolboxOptions {
  toolbox: Toolbox;
  policy: ChannelPolicy;
}

const list = (names: readonly string[]) => names.join(', ');

/**
 * Enforces a channel's policy on the worker's side of the MCP connection. A read-tier channel is not offered
 * write tools (nor may it call them); a channel limited to some namespaces is not offered tools that cannot take
 * a namespace, and a call outside its namespaces or contexts — or one that would reach every namespace — comes
 * back as an `isError` result saying what is allowed, so the model can narrow the call. Wrap it inside the
 * audited toolbox so refusals are audited like any failed call. Kubernetes RBAC (impersonation) still decides
 * what the allowed calls may see.
 */
export function channelPolicyToolbox({ toolbox, policy }: ChannelPolicyToolboxOptions): Toolbox {
  if (policy.tier === 'write' && admits(policy.namespaces, '*') && admits(policy.contexts, '*')) return toolbox;
  const isWrite = (name: string) => toolbox.hints?.get(name)?.readOnlyHint !== true;
  const namespaceLimited = !admits(policy.namespaces, '*');
  const offered = (name: string) => {
    if (policy.tier === 'read' && isWrite(name)) return false;
    if (namespaceLimited && name !== TOOL_NAMES.kubectl && !takesNamespace(toolbox.tools.find((t) => t.name === name))) return false;
    return true;
  };
  return {
    ...toolbox,
    tools: toolbox.tools.filter((tool) => offered(tool.name)),
    call: async (name, input, signal) => {
      if (policy.tier === 'read' && isWrite(name)) {
        return refused(
          `this channel (policy entry ${policy.entry}) is read-only: ${name} changes the cluster and is not available here. Tell the user to ask in a channel allowed to make changes.`,
        );
      }
      const reason = scopeRefusal(
        policy,
        callScope(
          toolbox.tools.find((t) => t.name === name),
          name,
          input,
        ),
      );
      if (reason !== undefined) return refused(`${reason} (policy entry ${policy.entry})`);
      return toolbox.call(name, input, signal);
    },
  };
}

function scopeRefusal(policy: ChannelPolicy, scope: CallScope): string | undefined {
  const context = scope.context ?? 'default';
  if (!admits(policy.contexts, context)) {
    return scope.context === undefined
      ? `this channel may only use the kube contexts ${list(policy.contexts)}; name one in the call's context argument`
      : `this channel may only use the kube contexts ${list(policy.contexts)}, not ${context}`;
  }
  if (admits(policy.namespaces, '*')) return undefined;
  const allowed = list(policy.namespaces);
  switch (scope.kind) {
    case 'namespace':
      return admits(policy.namespaces, scope.namespace)
        ? undefined
        : `namespace ${scope.namespace} is outside this channel's namespaces (${allowed}); nothing was read there. Only ${allowed} may be queried from this channel`;
    case 'all-namespaces':
      return `this channel may only use the namespaces ${allowed}, so a call across all namespaces is refused; call it again with namespace set to one of them`;
    case 'unnamed-namespace':
      return `this channel may only use the namespaces ${allowed}; add -n <namespace> (one of them) to the kubectl command`;
    case 'cluster':
      return `this channel may only use the namespaces ${allowed}, so cluster-wide tools and resources (nodes, namespaces, cluster overview) are not available here`;
    case 'unparsed':
      return undefined;
  }
}

function refused(text: string): ToolOutcome {
  return { isError: true, text: `refused by channel policy: ${text}.` };
}
