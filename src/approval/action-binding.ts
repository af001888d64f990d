import type { ApprovalBinding } from '../contract/approval-grant.ts';
import type { PendingAction } from '../queue/pending-action.ts';

/**
 * The call a pending action stands for, as an approval grant binds it: its tool and stored arguments, the kube
 * context its dry run resolved, and the requester's X-Ai4k8s-User (the approved call is made as them).
 */
export function actionBinding(action: Pick<PendingAction, 'tool' | 'arguments' | 'context' | 'chatUser'>): ApprovalBinding {
  return { tool: action.tool, arguments: action.arguments, context: action.context ?? '', user: action.chatUser };
}
