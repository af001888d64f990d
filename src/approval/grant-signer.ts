import { signApprovalGrant } from '../contract/approval-grant.ts';
import { actionBinding } from './action-binding.ts';
import type { PendingAction } from '../queue/pending-action.ts';

/** Signs the approval grant of an accepted Approve click. Only the gateway has one (it holds APPROVAL_SIGNING_KEY). */
export interface GrantSigner {
  /** The grant for exactly this action's call, approved by `by` (a chat user id). */
  sign(action: PendingAction, by: string): string;
}

export function grantSigner({ key, ttlSeconds }: { key: string; ttlSeconds: number }): GrantSigner {
  return {
    sign: (action, by) => signApprovalGrant({ key, binding: actionBinding(action), approval: action.token, by, ttlMs: ttlSeconds * 1000 }),
  };
}
