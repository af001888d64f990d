import { UnrecoverableError, type Job } from 'bullmq';
import type { Toolbox } from '../agent/mcp-toolbox.ts';
import type { ApprovalStore, StoredApproval } from '../approval/approval-store.ts';
import { approvalAuditEvent } from '../audit/approval-audit-event.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { auditedToolbox } from '../audit/audited-toolbox.ts';
import type { ApprovalCard } from '../chat/approval-card.ts';
import { formatWithMention } from '../chat/format-with-mention.ts';
import type { ReplyChannel } from '../chat/reply-channel.ts';
import type { Logger } from '../log/create-logger.ts';
import { approvalJobSchema, type ApprovalJob } from '../queue/approval-job.ts';
import type { ChatJob, ReplyTarget } from '../queue/chat-job.ts';
import { continuationJob } from '../approval/continuation-job.ts';
import { EXPIRE_JOB } from '../approval/schedule-approval-expiry.ts';
import { APPROVAL_GRANT_META_KEY } from '../contract/approval-grant.ts';

export interface ResolveApprovalJobDeps {
  store: ApprovalStore;
  connectToolbox: (chatUser: string | undefined) => Promise<Toolbox>;
  replyChannelFor: (target: ReplyTarget) => ReplyChannel;
  audit: AuditLog;
  cluster: string;
  /** APPROVAL_EXECUTE_DELAY_MS (tests only): a pause between taking an approved job and running its action. */
  executeDelayMs?: number;
  logger: Logger;
  /**
   * Enqueues the chat job that lets the model continue the thread with the outcome (enqueueChatJob; its id comes
   * from the token, so it happens once). Absent without a model: the outcome message is all there is.
   */
  continueConversation?: ((job: ChatJob) => Promise<string>) | undefined;
}

export const outcomeUnknownText =
  'the action was started by an earlier attempt that did not finish, so its outcome is unknown. It was not run again: check the cluster.';

/**
 * Carries out a decided approval. An approved action runs with `dryRun: false` at most once: the execution
 * claim (SET NX) is taken before the call, so a retried job or one whose worker crashed finds the claim and
 * reports the recorded result, or "outcome unknown", instead of running it again. The call carries the job's
 * approval grant in its `_meta`; the worker does not judge it (it cannot make one): the MCP server verifies it
 * and refuses a call without a valid one, and that refusal is the outcome reported.
 */
export async function resolveApprovalJob(job: Job<ApprovalJob>, deps: ResolveApprovalJobDeps): Promise<void> {
  const parsed = approvalJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed approval job: ${parsed.error.message}`);
  const { token, decision, decidedBy, decidedByName, grant } = parsed.data;
  const log = deps.logger.child({ jobId: job.id, approval: token, decision });
  const stored = await deps.store.read(token);
  if (stored === undefined) {
    log.warn('approval not found; nothing to do');
    return;
  }
  const { action } = stored;
  if (job.name === EXPIRE_JOB) {
    // The expiry timer: only an action nobody decided in time expires here; anything else was handled already.
    const expired = await deps.store.expireIfDue(token);
    if (expired === 'pending') throw new Error(`approval ${token.slice(0, 8)} is not due to expire yet`); // retried later
    if (expired !== 'ok') {
      log.info({ status: expired }, 'decided before the expiry timer; nothing to do');
      return;
    }
    if (!stored.outcomePosted) await deps.audit.record(approvalAuditEvent(action, { kind: 'approval_expired' }));
  }
  const channel = deps.replyChannelFor(action.replyTarget);
  let result: { text: string; isError: boolean } | undefined;
  if (decision === 'approved') result = stored.result ?? (await execute(stored, decidedBy, grant, deps));
  const card: ApprovalCard = {
    token,
    tool: action.tool,
    argumentsText: JSON.stringify(action.arguments),
    preview: action.preview,
    requesterId: action.requester.id,
    expiresAt: action.expiresAt,
    outcome: { status: decision, by: decidedBy, byName: decidedByName, result: result === undefined ? undefined : firstLines(result.text) },
  };
  if (stored.cardId !== undefined) await channel.updateApproval(stored.cardId, card);
  if (!stored.outcomePosted) {
    // The decider is named by a mention of their verified id, put in after the untrusted result is formatted.
    const text = formatWithMention(channel, decidedBy ?? '', (mention) => outcomeMessage(stored, decision, decidedBy, result, decidedByName, mention));
    await channel.postInThread(action.threadId, text);
    await deps.store.setField(token, 'outcomePosted', '1');
  }
  if (deps.continueConversation !== undefined) {
    const continuation = await deps.continueConversation(continuationJob({ action, decision, decidedBy, result }));
    log.info({ continuation }, 'conversation continues with the outcome');
  }
  log.info({ tool: action.tool, isError: result?.isError }, 'approval resolved');
}

async function execute(stored: StoredApproval, decidedBy: string | undefined, grant: string | undefined, deps: ResolveApprovalJobDeps): Promise<{ text: string; isError: boolean }> {
  const { action } = stored;
  // Claimed by an earlier attempt: if it recorded a result, the caller already had it; otherwise nobody knows.
  const claimedEarlier = async () => (await deps.store.read(action.token))?.result ?? { text: outcomeUnknownText, isError: true };
  if (stored.claimed) return claimedEarlier();
  if ((deps.executeDelayMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, deps.executeDelayMs));
  const toolbox = auditedToolbox({
    toolbox: await deps.connectToolbox(action.chatUser),
    audit: deps.audit,
    context: {
      platform: action.replyTarget.platform,
      channel: action.replyTarget.channel,
      user: action.requester.id,
      jobId: action.jobId,
      cluster: deps.cluster,
    },
  });
  try {
    // The claim is the last step before the call: a worker that dies before it leaves the action to a retry, which
    // runs it; one that dies after it (the call may have gone out) leaves "outcome unknown", never a second run.
    if (!(await deps.store.claimExecution(action.token))) return await claimedEarlier();
    const started = performance.now();
    const meta = grant === undefined ? {} : { meta: { [APPROVAL_GRANT_META_KEY]: grant } };
    const outcome = await toolbox.call(action.tool, { ...action.arguments, dryRun: false }, undefined, meta);
    const result = { text: outcome.text, isError: outcome.isError };
    await deps.store.recordResult(action.token, result);
    const step = { kind: 'approval_executed' as const, result: result.isError ? ('error' as const) : ('ok' as const), ...(decidedBy === undefined ? {} : { by: decidedBy }) };
    await deps.audit.record(approvalAuditEvent(action, step, performance.now() - started));
    return result;
  } finally {
    await toolbox.close().catch(() => undefined);
  }
}

function outcomeMessage(
  stored: StoredApproval,
  decision: ApprovalJob['decision'],
  by: string | undefined,
  result: { text: string; isError: boolean } | undefined,
  byName: string | undefined,
  mention: string,
): string {
  const what = `\`${stored.action.tool}\``;
  const who = byName ?? (by === undefined ? 'someone' : by.includes(':') ? by : mention);
  if (decision === 'denied') return `🚫 ${who} denied ${what}. Nothing was changed.`;
  if (decision === 'expired') return `⌛ The approval for ${what} expired. Nothing was changed.`;
  const text = result?.text ?? outcomeUnknownText;
  if (result?.isError === true) return `⚠️ ${what} approved by ${who} did not complete: ${text}`;
  return `✅ ${what} approved by ${who} and applied:\n\`\`\`\n${text}\n\`\`\``;
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 6).join('\n').slice(0, 1_500);
}
