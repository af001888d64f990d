import type { KubeIdentity } from '../kube/create-kube-client.ts';
import type { IdentityPolicy } from './policy-schema.ts';

/** Who the cluster sees for one MCP request. */
export type CallerIdentity =
  /** The MCP server's own kubeconfig identity (no mapping configured, or `unmapped: server`). */
  | { kind: 'server'; chatUser?: string | undefined }
  | { kind: 'impersonated'; chatUser: string; as: KubeIdentity }
  /** Every tool call of the request is refused with `reason`; listing tools still works. */
  | { kind: 'refused'; chatUser?: string | undefined; reason: string };

/** Maps the chat user a request names (or none) to a Kubernetes identity, per the policy's identities section. */
export function resolveCallerIdentity(policy: IdentityPolicy | undefined, chatUser: string | undefined): CallerIdentity {
  if (policy === undefined) return { kind: 'server', chatUser };
  const mapped = chatUser === undefined ? undefined : policy.users[chatUser];
  if (mapped !== undefined && chatUser !== undefined) return { kind: 'impersonated', chatUser, as: mapped };
  if (policy.unmapped === 'server') return { kind: 'server', chatUser };
  return {
    kind: 'refused',
    chatUser,
    reason:
      chatUser === undefined
        ? 'refused: this server maps chat users to Kubernetes identities (AI4K8S_POLICY) and the request named no user (X-Ai4k8s-User header). No tool runs without one.'
        : `refused: chat user ${chatUser} has no Kubernetes identity in the policy (identities.users in AI4K8S_POLICY), so no tool may run for them. Tell the user to ask an ai4k8s admin to map their account.`,
  };
}
