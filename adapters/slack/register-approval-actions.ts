import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { parseApprovalButtonValue } from './reply/approval-button-value.ts';
import type { ApprovalSettings } from '../../src/approval/approval-settings.ts';
import type { ApprovalStore } from '../../src/approval/approval-store.ts';
import { decideApproval } from '../../src/approval/decide-approval.ts';
import type { GrantSigner } from '../../src/approval/grant-signer.ts';
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
  /** Signs an accepted approval's grant (APPROVAL_SIGNING_KEY); without it an Approve click is refused. */
  signer?: GrantSigner | undefined;
}

export interface RegisterApprovalActionsOptions extends ApprovalActions {
  app: App;
  logger: Logger;
}

/**
 * Approve / Deny clicks on an approval card. The decision itself (checks, atomic flip, audit, resume job) is
 * platform-neutral (decideApproval); this listener names the clicker and, when nothing was done, tells them
 * why in an ephemeral message in the thread.
 */
export function registerApprovalActions({ app, store, settings, enqueue, audit, signer, logger }: RegisterApprovalActionsOptions): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${APPROVE_ACTION_ID}|${DENY_ACTION_ID})$`) },
    async ({ ack, body, action, client }) => {
      await ack();
      const decision = action.action_id === APPROVE_ACTION_ID ? 'approved' : 'denied';
      const { token, digest } = parseApprovalButtonValue(action.value ?? '');
      const clicker = {
        platform: 'slack' as const,
        teamId: body.team?.id ?? body.user.team_id ?? '',
        id: body.user.id,
        channel: body.channel?.id,
      };
      const log = logger.child({ clicker: clicker.id, decision, approval: token.slice(0, 8) });
      const outcome = await decideApproval({ store, settings, enqueue, audit, signer, token, digest, decision, clicker });
      log.info({ done: outcome.done, message: outcome.message }, outcome.done ? 'approval decided' : 'approval click refused');
      if (outcome.done) return;
      const channel = body.channel?.id;
      if (channel === undefined) return;
      const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : body.message?.ts;
      await client.chat
        .postEphemeral({
          channel,
          user: clicker.id,
          text: `⛔ Not done: ${outcome.message}. Nothing was changed.`,
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        })
        .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker why the click was refused'));
    },
  );
}
