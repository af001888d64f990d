import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { verifyApprovalGrant } from '../contract/approval-grant.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../log/create-logger.ts';
import type { McpCaller } from './mcp-caller.ts';
import { redactStructured } from '../redact/redact-structured.ts';
import type { UsedGrants } from './used-grants.ts';

/** Why a call may not run, in a word (for the audit and /metrics) and in a sentence (for the caller). */
export interface CallRefusal {
  code: string;
  reason: string;
}

export interface GuardedCall {
  tool: string;
  readOnly: boolean;
  /** As the caller sent them: validated by the tool's schema (defaults filled in), or raw when refused before that. */
  args: Record<string, unknown>;
  /** The kube context the call acts on. */
  context: string;
  caller: McpCaller;
  /** What the request's `_meta` carried under APPROVAL_GRANT_META_KEY (untrusted). */
  grant: unknown;
}

export interface WriteGuard {
  /** Undefined when the call may run; otherwise why not. Every refusal is audited and logged before this returns. */
  check(call: GuardedCall): Promise<CallRefusal | undefined>;
}

export interface WriteGuardOptions {
  /** APPROVAL_SIGNING_KEY. */
  signingKey: string;
  used: UsedGrants;
  audit: AuditLog;
  logger: Logger;
}

/**
 * The MCP server's own check before a tool runs. Read-only tools always run. A tool that changes the cluster runs
 * for the bot token as a preview (dryRun true) or, for real, only with an approval grant the gateway signed for
 * exactly this call (tool, arguments, context, user), unexpired and never used before on any replica (decision
 * 012). A read token (MCP_READ_TOKENS) may call no such tool at all, not even as a preview.
 */
export function writeGuard({ signingKey, used, audit, logger }: WriteGuardOptions): WriteGuard {
  const refuse = async (call: GuardedCall, refusal: CallRefusal): Promise<CallRefusal> => {
    const { tool, args, context, caller } = call;
    const chatUser = caller.chatUser;
    logger.warn({ tool, code: refusal.code, token: caller.token, chatUser, context }, 'mcp call refused');
    await audit.record({
      kind: 'mcp_call_refused',
      result: 'error',
      platform: 'mcp',
      channel: '',
      user: chatUser ?? '',
      jobId: '',
      cluster: context,
      at: new Date().toISOString(),
      durationMs: 0,
      tool,
      arguments: redactStructured(args).value,
      code: refusal.code,
      reason: refusal.reason,
      token: caller.token,
      ...(chatUser === undefined ? {} : { caller: chatUser }),
    });
    return refusal;
  };
  return {
    async check(call) {
      if (call.readOnly) return undefined;
      if (call.caller.token === 'read') {
        return refuse(call, {
          code: 'read_only_token',
          reason: `${call.tool} changes the cluster, and this token (MCP_READ_TOKENS) may only read`,
        });
      }
      if (call.args.dryRun !== false) return undefined; // a preview: the API server's dry run changes nothing
      const verdict = verifyApprovalGrant({
        key: signingKey,
        grant: call.grant,
        binding: { tool: call.tool, arguments: call.args, context: call.context, user: call.caller.chatUser },
      });
      if (!verdict.ok) return refuse(call, verdict);
      const { claims } = verdict;
      if (!(await used.consume(claims.id, claims.exp))) {
        return refuse(call, { code: 'grant_replayed', reason: 'this approval grant was already used: an approval runs its action once' });
      }
      logger.info(
        { tool: call.tool, approval: claims.approval, by: claims.by, context: call.context },
        'approved write allowed by its grant',
      );
      return undefined;
    },
  };
}

/** A refused call as the model and any MCP client read it (an isError tool result): nothing ran. */
export function refusedCallResult({ code, reason }: CallRefusal): CallToolResult {
  return {
    content: [{ type: 'text', text: `refused: ${reason}. Nothing was changed.` }],
    isError: true,
    structuredContent: { error: { code: 'tool_refused', reason: code } },
  };
}
