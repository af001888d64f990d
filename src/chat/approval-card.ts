/** What an approval card shows, whatever the platform: the exact action, and once decided, its outcome. */
export interface ApprovalCard {
  /** The single-use token the Approve / Deny buttons carry. */
  token: string;
  /**
   * actionDigest of the action this card shows (tool, arguments, context, user); the buttons carry it beside the
   * token so the gateway refuses a click once the stored action no longer matches (approvalButtonValue).
   */
  actionDigest?: string | undefined;
  tool: string;
  /** The arguments the action runs with, as JSON. */
  argumentsText: string;
  /** The dry run's text: exactly what would change. */
  preview: string;
  requesterId: string;
  expiresAt: number;
  /** Absent while pending; the card then has buttons. */
  /** `byName`: the decider's display name where the platform sent one (Teams); `by` stays the id. */
  outcome?: {
    status: 'approved' | 'denied' | 'expired';
    by?: string | undefined;
    byName?: string | undefined;
    result?: string | undefined;
  };
}

export const APPROVE_ACTION_ID = 'ai4k8s_approve';
export const DENY_ACTION_ID = 'ai4k8s_deny';
