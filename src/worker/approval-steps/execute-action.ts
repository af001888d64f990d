import { approvalAuditEvent } from '../../approval/approval-audit-event.ts';
import { auditedToolbox } from '../../audit/audited-toolbox.ts';
import { APPROVAL_GRANT_META_KEY } from '../../contract/approval-grant.ts';
import type { ApprovalContext } from './approval-context.ts';

/** What an approved action's call returned (or why its outcome is unknown). */
export interface ActionResult {
  text: string;
  isError: boolean;
}

export const outcomeUnknownText =
  'the action was started by an earlier attempt that did not finish, so its outcome is unknown. It was not run again: check the cluster.';

/**
 * Runs an approved action with `dryRun: false` at most once: the execution claim (SET NX) is taken right before
 * the call, so a retry finds the claim and reports the recorded result, or "outcome unknown", instead of running it
 * again. The call carries the approval grant in its `_meta`; the MCP server verifies it and refuses a call without
 * a valid one, and that refusal is the result.
 */
export async function executeAction({ stored, deps, decidedBy, grant }: ApprovalContext): Promise<ActionResult> {
  const { action } = stored;
  if (stored.result !== undefined) return stored.result;
  // Claimed by an earlier attempt: if it recorded a result, the caller already had it; otherwise nobody knows.
  const claimedEarlier = async () => (await deps.store.read(action.token))?.result ?? { text: outcomeUnknownText, isError: true };
  if (stored.claimed) return claimedEarlier();
  const toolbox = auditedToolbox({
    toolbox: await deps.connectToolbox(action.chatUser),
    audit: deps.audit,
    context: {
      platform: action.replyTarget.platform,
      channel: action.replyTarget.channel,
      user: action.requester.id,
      jobId: action.jobId,
      cluster: typeof deps.cluster === 'string' ? deps.cluster : await deps.cluster.name(),
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
    const step = {
      kind: 'approval_executed' as const,
      result: result.isError ? ('error' as const) : ('ok' as const),
      ...(decidedBy === undefined ? {} : { by: decidedBy }),
    };
    await deps.audit.record(approvalAuditEvent(action, step, performance.now() - started));
    return result;
  } finally {
    await toolbox.close().catch(() => undefined);
  }
}
