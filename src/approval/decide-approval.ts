import { approvalAuditEvent } from './approval-audit-event.ts';
import type { AuditEvent } from '../contract/audit-event.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ApprovalJob } from '../queue/approval-job.ts';
import { actionDigest } from '../contract/approval-grant.ts';
import { actionBinding } from './action-binding.ts';
import { chatUserIdOf, mentionOf, type ApprovalClicker } from './approval-clicker.ts';
import { approvalRefusal } from './approval-refusal.ts';
import type { ApprovalSettings } from './approval-settings.ts';
import type { ApprovalStore, DecideResult } from './approval-store.ts';
import type { GrantSigner } from './grant-signer.ts';
import type { PendingAction } from '../queue/pending-action.ts';

export interface DecideApprovalOptions {
  store: ApprovalStore;
  settings: ApprovalSettings;
  /** Enqueues the approval job (enqueueApprovalJob); its id derives from the token, so a repeat is a no-op. */
  enqueue: (job: ApprovalJob) => Promise<string>;
  audit: AuditLog;
  /** The card's token, as the button carried it (untrusted: checked here). */
  token: string;
  /** The digest of the action the card showed, as the button carried it (untrusted: compared with the stored action). */
  digest?: string | undefined;
  /** Signs the grant of an accepted approval (the gateway's APPROVAL_SIGNING_KEY). Without one, approving is refused. */
  signer?: GrantSigner | undefined;
  decision: 'approved' | 'denied';
  clicker: ApprovalClicker;
}

export interface ApprovalDecisionOutcome {
  /** True when this click decided the action (and the approval job is enqueued); false when nothing changed. */
  done: boolean;
  /** For the clicker: why nothing was done (e.g. "only an approver (…) can approve or deny this action"), or what was done. */
  message: string;
}

const TOKEN = /^[a-f0-9]{32}$/;

/**
 * Decides one Approve / Deny click, whatever platform it came from (Slack buttons, Teams cards, the web console).
 * The click is checked — known token, still pending and unexpired, the clicker is an approver for the action's
 * channel and namespace (AI4K8S_POLICY, else APPROVERS), not the requester approving their own action unless
 * self-approval is allowed; for Approve, the action stored under the token is still the one the card showed (the
 * button's digest) — and then the status flips atomically, so a double click or a replay cannot run the action
 * twice. Only then is the approval job enqueued, an approval carrying the grant signed here for exactly that call
 * (the MCP server runs it only with that grant; the worker runs or reports it and continues the thread).
 * Every outcome is audited: approved, denied, expired (the click came too late; the job reports the expiry) or
 * refused (with `message`). Never throws for a refused click; throws only when Redis or the queue fails.
 *
 * The adapter only tells the clicker `message` when `done` is false (the worker updates the card otherwise).
 */
export async function decideApproval({
  store,
  settings,
  enqueue,
  audit,
  token,
  digest,
  signer,
  decision,
  clicker,
}: DecideApprovalOptions): Promise<ApprovalDecisionOutcome> {
  const started = performance.now();
  // `by` in audit events and jobs: the platform's user id when the click is on the action's own platform (how
  // that platform mentions them; on Slack whatever workspace the click names), else the full chat user id.
  const byFor = (action: PendingAction) =>
    clicker.platform === action.replyTarget.platform && (clicker.platform === 'slack' || clicker.teamId === action.replyTarget.teamId)
      ? clicker.id
      : chatUserIdOf(clicker);
  // `auditReason`: the audit keeps ids where the clicker's message names a person by display name.
  const refuse = async (message: string, action?: PendingAction, auditReason = message): Promise<ApprovalDecisionOutcome> => {
    await audit.record(
      action === undefined
        ? unknownApprovalRefused(TOKEN.test(token) ? token : '', clicker, auditReason)
        : approvalAuditEvent(action, { kind: 'approval_refused', by: byFor(action), reason: auditReason }, performance.now() - started),
    );
    return { done: false, message };
  };
  const stored = TOKEN.test(token) ? await store.read(token) : undefined;
  if (stored === undefined) return refuse(alreadyText('missing', undefined, clicker));
  const { action } = stored;
  if (stored.status !== 'pending') {
    const shown = stored.decidedByName ?? stored.decidedBy;
    return refuse(
      alreadyText(stored.status, shown, clicker, shown === stored.decidedBy),
      action,
      alreadyText(stored.status, stored.decidedBy, clicker),
    );
  }
  const refusal = approvalRefusal(settings, decision, action, clicker);
  if (refusal !== undefined) return refuse(refusal, action);
  if (decision === 'approved') {
    // A Redis writer may have changed the stored action since the card was posted; a human approved what they saw.
    if (digest !== actionDigest(actionBinding(action))) {
      return refuse(
        'the action stored for this card is not the one the card shows (it was changed after the card was posted), so it cannot be approved; ask again for a fresh card',
        action,
      );
    }
    if (signer === undefined)
      return refuse(
        'this gateway cannot approve changes: APPROVAL_SIGNING_KEY is not set, so it cannot sign the approval the MCP server requires',
        action,
      );
  }
  const by = byFor(action);
  const byName = clicker.name === undefined || clicker.name === '' ? undefined : clicker.name;
  const result = await store.decide(token, decision, by, byName === undefined ? {} : { byName });
  if (result !== 'ok' && result !== 'expired') return refuse(alreadyText(result, undefined, clicker), action);
  // Audited before the job exists, so the decision precedes the execution in the stream.
  const kind = result === 'expired' ? 'approval_expired' : decision === 'approved' ? 'approval_approved' : 'approval_denied';
  await audit.record(approvalAuditEvent(action, { kind, by }, performance.now() - started));
  // An expiry is reported on the card (and to the model) by the same kind of job.
  const shownAs = byName === undefined ? {} : { decidedByName: byName };
  // The grant names the approver by full chat user id: the MCP server logs it, whatever platform the card is on.
  const grant =
    result === 'ok' && decision === 'approved' && signer !== undefined ? { grant: signer.sign(action, chatUserIdOf(clicker)) } : {};
  await enqueue(result === 'ok' ? { token, decision, decidedBy: by, ...shownAs, ...grant } : { token, decision: 'expired' });
  if (result === 'expired') return { done: false, message: alreadyText('expired', undefined, clicker) };
  return {
    done: true,
    message: decision === 'approved' ? `approved \`${action.tool}\`; it runs now` : `denied \`${action.tool}\`; nothing will be changed`,
  };
}

/** A click on a token nobody knows (cleaned up, or made up): there is no action to take the context from. */
function unknownApprovalRefused(token: string, clicker: ApprovalClicker, reason: string): AuditEvent {
  return {
    kind: 'approval_refused',
    result: 'error',
    reason,
    platform: clicker.platform,
    channel: clicker.channel ?? '',
    user: clicker.id,
    jobId: 'unknown',
    cluster: 'default',
    at: new Date().toISOString(),
    durationMs: 0,
    approval: token.slice(0, 8),
    tool: '',
    arguments: {},
    by: clicker.id,
  };
}

/** `by` is an id (shown as the platform mentions it) unless `isId` is false: a display name, shown as is. */
function alreadyText(
  status: Exclude<DecideResult, 'ok'> | 'pending',
  by: string | undefined,
  clicker: ApprovalClicker,
  isId = true,
): string {
  const who = by === undefined ? '' : ` by ${isId ? mentionOf(by, clicker.platform) : by}`;
  switch (status) {
    case 'approved':
      return `this action was already approved${who}; an approval runs once`;
    case 'denied':
      return `this action was already denied${who}`;
    case 'expired':
      return 'this approval has expired; ask again for a fresh one';
    case 'missing':
      return 'this approval is unknown or was already cleaned up';
    default:
      return `this approval is ${status}`;
  }
}
