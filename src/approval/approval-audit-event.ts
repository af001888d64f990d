import type { PendingAction } from '../queue/pending-action.ts';
import { redactStructured } from '../redact/redact-structured.ts';
import type { AuditEvent } from '../contract/audit-event.ts';

/** What happened to an approval; `by` is the clicker (absent for the request and for an expiry nobody clicked). */
export type ApprovalStep =
  | { kind: 'approval_requested' | 'approval_approved' | 'approval_denied' | 'approval_expired'; by?: string }
  | { kind: 'approval_refused'; by: string; reason: string }
  | { kind: 'approval_executed'; by?: string; result: 'ok' | 'error' };

/**
 * The audit event of one step of a pending action. It carries the asking job's context (requester, channel,
 * job id, cluster) from the stored action, so the worker that posted the card, the gateway that took the click
 * and the worker that ran it all write events that line up with the answer's.
 */
export function approvalAuditEvent(action: PendingAction, step: ApprovalStep, durationMs = 0): AuditEvent {
  const base = {
    platform: action.replyTarget.platform,
    channel: action.replyTarget.channel,
    user: action.requester.id,
    jobId: action.jobId,
    cluster: action.cluster ?? 'default',
    at: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    approval: action.token.slice(0, 8),
    tool: action.tool,
    arguments: redactStructured(action.arguments).value,
  };
  switch (step.kind) {
    case 'approval_refused':
      return { ...base, ...step, result: 'error' };
    case 'approval_executed':
      return { ...base, ...step };
    default:
      return { ...base, ...step, result: 'ok' };
  }
}
