import { z } from 'zod';

/** A decided approval for the worker to carry out: run the action, or report that nothing was changed. */
export const approvalJobSchema = z.object({
  token: z.string().min(1),
  decision: z.enum(['approved', 'denied', 'expired']),
  /** The Slack user who clicked; absent for an expiry. */
  decidedBy: z.string().optional(),
  /** The clicker's display name where the platform sends one (Teams): what the card shows instead of the id. */
  decidedByName: z.string().optional(),
  /**
   * The approval grant the gateway signed for an accepted Approve click (src/contract/approval-grant.ts): the MCP
   * server runs the action only with it. The worker passes it on and cannot make one.
   */
  grant: z.string().max(4_096).optional(),
});
export type ApprovalJob = z.infer<typeof approvalJobSchema>;
