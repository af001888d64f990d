import { approverMatches, mentionOf, sameChatUser, type ApprovalClicker } from './approval-clicker.ts';
import type { ApprovalSettings } from './approval-settings.ts';
import type { PendingAction } from '../queue/pending-action.ts';

/**
 * Why `clicker` may not make this decision, or undefined when they may. Approvers (the policy's for the action's
 * channel and namespace, else APPROVERS; none configured: anyone) decide both ways; the requester may deny
 * (withdraw) their own action but approve it only when self-approval is allowed.
 */
export function approvalRefusal(
  settings: ApprovalSettings,
  decision: 'approved' | 'denied',
  action: PendingAction,
  clicker: ApprovalClicker,
): string | undefined {
  const approvers = settings.approversFor?.(action) ?? settings.approvers;
  // The same kind of id on both sides: on Slack the user id, whichever workspace the click names (Enterprise Grid, Slack Connect).
  const isRequester = sameChatUser(clicker, {
    platform: action.replyTarget.platform,
    teamId: action.replyTarget.teamId,
    id: action.requester.id,
  });
  if (approvers.length > 0 && !approvers.some((entry) => approverMatches(entry, clicker)) && !(decision === 'denied' && isRequester)) {
    return `only an approver (${approvers.map((entry) => mentionOf(entry, clicker.platform)).join(', ')}) can approve or deny this action`;
  }
  if (decision === 'approved' && isRequester && !settings.selfAllowed) {
    return 'you asked for this action, so someone else must approve it (self-approval is not allowed)';
  }
  return undefined;
}
