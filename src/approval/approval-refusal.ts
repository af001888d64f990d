import type { ApprovalSettings } from './approval-settings.ts';

/**
 * Why `clicker` may not make this decision, or undefined when they may. Approvers (when configured) decide
 * both ways; the requester may deny (withdraw) their own action but approve it only when self-approval is allowed.
 */
export function approvalRefusal(settings: ApprovalSettings, decision: 'approved' | 'denied', requester: string, clicker: string): string | undefined {
  if (settings.approvers.length > 0 && !settings.approvers.includes(clicker)) {
    return `only an approver (${settings.approvers.map((id) => `<@${id}>`).join(', ')}) can approve or deny this action`;
  }
  if (decision === 'approved' && clicker === requester && !settings.selfAllowed) {
    return 'you asked for this action, so someone else must approve it (self-approval is not allowed)';
  }
  return undefined;
}
