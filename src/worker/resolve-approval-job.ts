import type { Job } from 'bullmq';
import type { Toolbox } from '../contract/toolbox.ts';
import type { ApprovalStore } from '../approval/approval-store.ts';
import { continuationJob } from '../approval/continuation-job.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import type { ChatJob, ReplyTarget } from '../queue/chat-job.ts';
import { openApproval } from './approval-steps/approval-context.ts';
import { executeAction } from './approval-steps/execute-action.ts';
import { postOutcome, updateCard } from './approval-steps/report-outcome.ts';
import type { ClusterName } from './cluster-name.ts';

export interface ResolveApprovalJobDeps {
  store: ApprovalStore;
  connectToolbox: (chatUser: string | undefined) => Promise<Toolbox>;
  replyChannelFor: (target: ReplyTarget) => ReplyChannel;
  audit: AuditLog;
  /** The cluster named in audit events: a name, or where to learn it. */
  cluster: string | ClusterName;
  logger: Logger;
  /**
   * Enqueues the chat job that lets the model continue the thread with the outcome (enqueueChatJob; its id comes
   * from the token, so it happens once). Absent without a model: the outcome message is all there is.
   */
  continueConversation?: ((job: ChatJob) => Promise<string>) | undefined;
}

/**
 * Carries out a decided approval, in steps over one approval context (src/worker/approval-steps): open it (nothing
 * to do when the action is gone or an expiry timer finds it decided), run an approved action at most once
 * (`executeAction`: execution claim, grant in `_meta`), update the card, post the outcome once, and let the model
 * continue the thread with it.
 */
export async function resolveApprovalJob(job: Job<ApprovalJob>, deps: ResolveApprovalJobDeps): Promise<void> {
  const ctx = await openApproval(job, deps);
  if (ctx === undefined) return;
  const result = ctx.decision === 'approved' ? await executeAction(ctx) : undefined;
  await updateCard(ctx, result);
  await postOutcome(ctx, result);
  if (deps.continueConversation !== undefined) {
    const { action } = ctx.stored;
    const continuation = await deps.continueConversation(
      continuationJob({ action, decision: ctx.decision, decidedBy: ctx.decidedBy, result }),
    );
    ctx.log.info({ continuation }, 'conversation continues with the outcome');
  }
  ctx.log.info({ tool: ctx.stored.action.tool, isError: result?.isError }, 'approval resolved');
}
