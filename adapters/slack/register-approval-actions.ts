import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { approvalRefusal } from '../../src/approval/approval-refusal.ts';
import type { ApprovalSettings } from '../../src/approval/approval-settings.ts';
import type { ApprovalStore, DecideResult } from '../../src/approval/approval-store.ts';
import type { PendingAction } from '../../src/approval/pending-action.ts';
import { approvalAuditEvent } from '../../src/audit/approval-audit-event.ts';
import type { AuditEvent } from '../../src/audit/audit-event.ts';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../src/chat/approval-card.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ApprovalJob } from '../../src/queue/approval-job.ts';

export interface ApprovalActions {
  store: ApprovalStore;
  settings: ApprovalSettings;
  enqueue: (job: ApprovalJob) => Promise<string>;
  /** Every decision and every refused click is an audit event. */
  audit: AuditLog;
}

export interface RegisterApprovalActionsOptions extends ApprovalActions {
  app: App;
  logger: Logger;
}

const TOKEN = /^[a-f0-9]{32}$/;

/**
 * Approve / Deny clicks on an approval card. A click is checked (known token, still pending and unexpired, an
 * approver, not the requester approving their own action) and then flips the status atomically, so a double
 * click or a replay cannot run the action twice; only then is a resume job enqueued (its id from the token).
 * A refused click changes nothing and gets an ephemeral message saying why. Each outcome is audited: approved,
 * denied, expired (the click came too late) or refused (with the reason the clicker was told).
 */
export function registerApprovalActions({ app, store, settings, enqueue, audit, logger }: RegisterApprovalActionsOptions): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^(${APPROVE_ACTION_ID}|${DENY_ACTION_ID})$`) }, async ({ ack, body, action, client }) => {
    await ack();
    const decision = action.action_id === APPROVE_ACTION_ID ? 'approved' : 'denied';
    const clicker = body.user.id;
    const token = action.value ?? '';
    const log = logger.child({ clicker, decision, approval: token.slice(0, 8) });
    const started = performance.now();
    /** Tells the clicker, in an ephemeral message, why nothing was done. */
    const tell = async (reason: string) => {
      const channel = body.channel?.id;
      if (channel === undefined) return;
      const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : body.message?.ts;
      await client.chat
        .postEphemeral({ channel, user: clicker, text: `⛔ Not done: ${reason}. Nothing was changed.`, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) })
        .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker why the click was refused'));
    };
    const refuse = async (reason: string, refused?: PendingAction) => {
      log.info({ reason }, 'approval click refused');
      await audit.record(
        refused === undefined
          ? unknownApprovalRefused(TOKEN.test(token) ? token : '', body.channel?.id ?? '', clicker, reason)
          : approvalAuditEvent(refused, { kind: 'approval_refused', by: clicker, reason }, performance.now() - started),
      );
      await tell(reason);
    };
    const stored = TOKEN.test(token) ? await store.read(token) : undefined;
    if (stored === undefined) return refuse('this approval is unknown or was already cleaned up');
    const { action: pending } = stored;
    if (stored.status !== 'pending') return refuse(alreadyText(stored.status, stored.decidedBy), pending);
    const refusal = approvalRefusal(settings, decision, pending.requester.id, clicker);
    if (refusal !== undefined) return refuse(refusal, pending);
    const result = await store.decide(token, decision, clicker);
    if (result === 'ok' || result === 'expired') {
      // Audited before the job exists, so the decision precedes the execution in the stream.
      const kind = result === 'expired' ? 'approval_expired' : decision === 'approved' ? 'approval_approved' : 'approval_denied';
      await audit.record(approvalAuditEvent(pending, { kind, by: clicker }, performance.now() - started));
      // An expiry is reported on the card too, by the same kind of job.
      const jobId = await enqueue(result === 'ok' ? { token, decision, decidedBy: clicker } : { token, decision: 'expired' });
      log.info({ jobId, result }, 'approval decided');
      if (result === 'expired') {
        log.info('approval click came after expiry');
        return tell(alreadyText('expired', undefined));
      }
      return undefined;
    }
    return refuse(alreadyText(result, undefined), pending);
  });
}

/** A click on a token nobody knows (cleaned up, or made up): there is no action to take the context from. */
function unknownApprovalRefused(token: string, channel: string, clicker: string, reason: string): AuditEvent {
  return {
    kind: 'approval_refused',
    result: 'error',
    reason,
    platform: 'slack',
    channel,
    user: clicker,
    jobId: 'unknown',
    cluster: 'default',
    at: new Date().toISOString(),
    durationMs: 0,
    approval: token.slice(0, 8),
    tool: '',
    arguments: {},
    by: clicker,
  };
}

function alreadyText(status: Exclude<DecideResult, 'ok'> | 'pending', by: string | undefined): string {
  const who = by === undefined ? '' : ` by <@${by}>`;
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
