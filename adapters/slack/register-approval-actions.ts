import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { approvalRefusal } from '../../src/approval/approval-refusal.ts';
import type { ApprovalSettings } from '../../src/approval/approval-settings.ts';
import type { ApprovalStore, DecideResult } from '../../src/approval/approval-store.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../src/chat/approval-card.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import type { ApprovalJob } from '../../src/queue/approval-job.ts';

export interface ApprovalActions {
  store: ApprovalStore;
  settings: ApprovalSettings;
  enqueue: (job: ApprovalJob) => Promise<string>;
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
 * A refused click changes nothing and gets an ephemeral message saying why.
 */
export function registerApprovalActions({ app, store, settings, enqueue, logger }: RegisterApprovalActionsOptions): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^(${APPROVE_ACTION_ID}|${DENY_ACTION_ID})$`) }, async ({ ack, body, action, client }) => {
    await ack();
    const decision = action.action_id === APPROVE_ACTION_ID ? 'approved' : 'denied';
    const clicker = body.user.id;
    const token = action.value ?? '';
    const log = logger.child({ clicker, decision, approval: token.slice(0, 8) });
    const refuse = async (reason: string) => {
      log.info({ reason }, 'approval click refused');
      const channel = body.channel?.id;
      if (channel === undefined) return;
      const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : body.message?.ts;
      await client.chat
        .postEphemeral({ channel, user: clicker, text: `⛔ Not done: ${reason}. Nothing was changed.`, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) })
        .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker why the click was refused'));
    };
    const stored = TOKEN.test(token) ? await store.read(token) : undefined;
    if (stored === undefined) return refuse('this approval is unknown or was already cleaned up');
    if (stored.status !== 'pending') return refuse(alreadyText(stored.status, stored.decidedBy));
    const refusal = approvalRefusal(settings, decision, stored.action.requester.id, clicker);
    if (refusal !== undefined) return refuse(refusal);
    const result = await store.decide(token, decision, clicker);
    if (result === 'ok' || result === 'expired') {
      // An expiry is reported on the card too, by the same kind of job.
      const jobId = await enqueue(result === 'ok' ? { token, decision, decidedBy: clicker } : { token, decision: 'expired' });
      log.info({ jobId, result }, 'approval decided');
    }
    if (result !== 'ok') return refuse(alreadyText(result, undefined));
    return undefined;
  });
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
