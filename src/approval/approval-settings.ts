/** Who may approve and for how long, from APPROVERS, APPROVAL_SELF_ALLOWED and APPROVAL_TTL_SECONDS. */
export interface ApprovalSettings {
  /** Slack user ids; empty: anyone may approve (subject to `selfAllowed`). */
  approvers: readonly string[];
  selfAllowed: boolean;
  ttlSeconds: number;
}
