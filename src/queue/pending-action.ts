import { z } from 'zod';
import { replyTargetSchema } from './chat-job.ts';

/** What a human approves: fixed when the card is posted, stored as JSON under `{<prefix>}:approval-action:<token>`. */
export const pendingActionSchema = z.object({
  token: z.string().min(1),
  tool: z.string().min(1),
  /**
   * The arguments of the dry run's apply plan (the model's, as the MCP server validated them, with anything the
   * preview resolved pinned); the approved call runs with exactly these and `dryRun: false`.
   */
  arguments: z.record(z.string(), z.unknown()),
  /** The kube context the dry run acted on (the apply plan's): the approval grant binds the call to it. */
  context: z.string().optional(),
  requester: z.object({ id: z.string().min(1), name: z.string().optional() }),
  /** X-Ai4k8s-User of the requester: the approved call acts as the same Kubernetes identity as the preview. */
  chatUser: z.string().optional(),
  replyTarget: replyTargetSchema,
  threadId: z.string().min(1),
  jobId: z.string().min(1),
  conversationKey: z.string().min(1),
  /** The dry run's text, shown on the card. */
  preview: z.string(),
  /** The audit events' cluster of the asking job (the MCP server's host); absent in actions stored before it was. */
  cluster: z.string().optional(),
  /** Epoch milliseconds after which a click is refused. */
  expiresAt: z.number(),
});
export type PendingAction = z.infer<typeof pendingActionSchema>;

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalDecision = 'approved' | 'denied' | 'expired';
