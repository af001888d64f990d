import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';
import { actionBinding } from '../approval/action-binding.ts';
import type { ApprovalSettings } from '../approval/approval-settings.ts';
import type { ApprovalStore } from '../approval/approval-store.ts';
import { approvalAuditEvent } from '../approval/approval-audit-event.ts';
import type { AuditContext } from '../contract/audit-event.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ApprovalCard } from '../chat/approval-card.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import type { PendingAction } from '../queue/pending-action.ts';
import { actionDigest } from '../contract/approval-grant.ts';
import { applyPlanOf, type ApplyPlan } from '../contract/apply-plan.ts';
import { writeContentOf } from '../contract/write-content.ts';

export interface ApprovalGateOptions {
  toolbox: Toolbox;
  store: ApprovalStore;
  settings: ApprovalSettings;
  channel: ReplyChannel;
  job: ChatJob;
  jobId: string;
  threadId: string;
  conversationKey: string;
  chatUser: string | undefined;
  audit: AuditLog;
  /** The asking job's audit context; its cluster is stored with the action for the later events. */
  auditContext: AuditContext;
  /** Starts the expiry timer of a posted card (scheduleApprovalExpiry), so an unanswered card expires on its own. */
  scheduleExpiry?: ((token: string, expiresAt: number) => Promise<void>) | undefined;
}

/** Whether a tool must wait for a human: anything whose annotations do not say it is read-only. */
export function needsApproval(toolbox: Toolbox, name: string): boolean {
  return toolbox.hints?.get(name)?.readOnlyHint !== true;
}

/**
 * What a write's dry run means for the gate, decided on the contract's structured flags (never on the preview's
 * wording): an error or "nothing to change" (`changed: false`) goes back to the model as it is; a change with its
 * apply plan awaits approval; anything else cannot be approved.
 */
export function previewVerdict(
  name: string,
  preview: ToolOutcome,
): { kind: 'answer'; outcome: ToolOutcome } | { kind: 'approve'; plan: ApplyPlan } {
  if (preview.isError) return { kind: 'answer', outcome: preview };
  const content = writeContentOf(preview.structuredContent);
  if (content?.changed === false) return { kind: 'answer', outcome: preview };
  const plan = applyPlanOf(preview.structuredContent);
  if (content === undefined || plan === undefined || plan.tool !== name) {
    return {
      kind: 'answer',
      outcome: {
        isError: true,
        text: `NOT APPLIED: the MCP server did not say what applying ${name} would do (no apply plan with its preview), so it cannot be approved. Tell the user.`,
      },
    };
  }
  return { kind: 'approve', plan };
}

/**
 * The model never applies a write. A call of a tool that is not read-only runs as a dry run; its apply plan (the
 * exact arguments and kube context applying means, from the MCP server) is stored as a pending action and posted as
 * an Approve / Deny card in the thread, whose buttons carry the digest of that action; the model is told the action
 * awaits a human. Only an approved click (the gateway signs a grant for it; the approval worker sends it) applies it.
 */
export function approvalGate({
  toolbox,
  store,
  settings,
  channel,
  job,
  jobId,
  threadId,
  conversationKey,
  chatUser,
  audit,
  auditContext,
  scheduleExpiry,
}: ApprovalGateOptions): Toolbox {
  return {
    ...toolbox,
    call: async (name, input, signal) => {
      if (!needsApproval(toolbox, name)) return toolbox.call(name, input, signal);
      const actionArgs = { ...asRecord(input) };
      delete actionArgs.dryRun;
      const started = performance.now();
      const preview = await toolbox.call(name, { ...actionArgs, dryRun: true }, signal);
      const verdict = previewVerdict(name, preview);
      if (verdict.kind === 'answer') return verdict.outcome;
      const { plan } = verdict;
      const token = await store.tokenFor(jobId, name, actionArgs);
      const action: PendingAction = {
        token,
        tool: name,
        arguments: plan.arguments,
        context: plan.context,
        requester: job.user,
        chatUser,
        replyTarget: job.replyTarget,
        threadId,
        jobId,
        conversationKey,
        preview: preview.text,
        cluster: auditContext.cluster,
        expiresAt: Date.now() + settings.ttlSeconds * 1000,
      };
      const created = await store.create(action);
      const stored = await store.read(token);
      if (stored === undefined) throw new Error(`approval ${token} vanished right after it was stored`);
      // The card shows, and its buttons bind, the action this job stored: the one just made, or on a retry the
      // earlier attempt's (whose preview may differ from this run's). Never what Redis says now about a new one.
      const shown = created ? action : stored.action;
      if (stored.cardId === undefined) {
        const card: ApprovalCard = {
          token,
          actionDigest: actionDigest(actionBinding(shown)),
          tool: name,
          argumentsText: JSON.stringify(shown.arguments),
          preview: shown.preview,
          requesterId: job.user.id,
          expiresAt: shown.expiresAt,
        };
        await store.setField(token, 'cardId', await channel.postApproval(threadId, card));
        await audit.record(approvalAuditEvent(shown, { kind: 'approval_requested' }, performance.now() - started));
      }
      // Also on a retry (same job id): a crash between the card and the timer must not leave it without one.
      await scheduleExpiry?.(token, shown.expiresAt);
      return {
        isError: false,
        text: [
          `NOT APPLIED: ${name} changes the cluster, so it awaits a human approval.`,
          `An Approve / Deny card with this preview was posted in the thread (it expires in ${Math.round(settings.ttlSeconds / 60)} min):`,
          preview.text,
          'Do not call it again; tell the user the action is waiting for approval.',
        ].join('\n'),
      };
    },
  };
}

function asRecord(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
