import { UnrecoverableError, type Job } from 'bullmq';
import type { StoredApproval } from '../../approval/approval-store.ts';
import { EXPIRE_JOB } from '../../approval/schedule-approval-expiry.ts';
import { approvalAuditEvent } from '../../approval/approval-audit-event.ts';
import type { ReplyChannel } from '../../chat/reply-channel.ts';
import type { Logger } from '../../log/create-logger.ts';
import { approvalJobSchema, type ApprovalJob } from '../../queue/approval-job.ts';
import type { ResolveApprovalJobDeps } from '../resolve-approval-job.ts';

/** What every step of resolving one decided approval shares. */
export interface ApprovalContext extends ApprovalJob {
  deps: ResolveApprovalJobDeps;
  /** The action as stored, with its card id, claim, result and whether its outcome was posted. */
  stored: StoredApproval;
  /** The thread the action was asked for in. */
  channel: ReplyChannel;
  log: Logger;
}

/**
 * The context of a decided approval (or of its expiry timer), or undefined when there is nothing to do: the action
 * is gone, or the timer found it decided already. A timer that fires early throws, to be retried later.
 */
export async function openApproval(job: Job<ApprovalJob>, deps: ResolveApprovalJobDeps): Promise<ApprovalContext | undefined> {
  const parsed = approvalJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed approval job: ${parsed.error.message}`);
  const { token, decision } = parsed.data;
  const log = deps.logger.child({ jobId: job.id, approval: token, decision });
  const stored = await deps.store.read(token);
  if (stored === undefined) {
    log.warn('approval not found; nothing to do');
    return undefined;
  }
  if (job.name === EXPIRE_JOB) {
    // The expiry timer: only an action nobody decided in time expires here; anything else was handled already.
    const expired = await deps.store.expireIfDue(token);
    if (expired === 'pending') throw new Error(`approval ${token.slice(0, 8)} is not due to expire yet`); // retried later
    if (expired !== 'ok') {
      log.info({ status: expired }, 'decided before the expiry timer; nothing to do');
      return undefined;
    }
    if (!stored.outcomePosted) await deps.audit.record(approvalAuditEvent(stored.action, { kind: 'approval_expired' }));
  }
  return { ...parsed.data, deps, stored, channel: deps.replyChannelFor(stored.action.replyTarget), log };
}
