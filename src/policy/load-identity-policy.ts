import { loadPolicy } from './load-policy.ts';
import type { IdentityPolicy } from './policy-schema.ts';

export { CHAT_USER, type IdentityPolicy } from './policy-schema.ts';

/**
 * The identity mapping of AI4K8S_POLICY (read once at start), or undefined when the file has no `identities`
 * section: the MCP server then keeps its own identity, as without a policy file.
 */
export function loadIdentityPolicy(path: string): IdentityPolicy | undefined {
  return loadPolicy(path).identities;
}
