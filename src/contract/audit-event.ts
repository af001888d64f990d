import type { AgentUsage } from './agent-usage.ts';

/** Who asked, where, and through which job: the same on every event of one answer. */
export interface AuditContext {
  platform: string;
  channel: string;
  user: string;
  jobId: string;
  /** The worker cannot see the MCP server's cluster, so this is the MCP URL's host ('default' without one). */
  cluster: string;
}

/** Who decided an approval (the clicker; absent for an expiry nobody clicked) and the action it is about. */
interface ApprovalFields {
  /** The first 8 characters of the approval token: enough to correlate, not enough to click with. */
  approval: string;
  tool: string;
  /** Redacted. */
  arguments: unknown;
  by?: string;
}

/**
 * One audit record: a tool call, the end of an answer, or a step of an approval. `user` is always the one who
 * asked (the requester), `jobId` the asking job, so one question's events share them. Arguments are redacted
 * before they get here.
 */
export type AuditEvent = AuditContext & {
  /** ISO-8601. */
  at: string;
  durationMs: number;
} & (
    | { kind: 'tool_call'; tool: string; arguments: unknown; result: 'ok' | 'error' }
    | { kind: 'answer'; result: 'ok'; usage: AgentUsage }
    /**
     * One model call, recorded as soon as it returned (before its tools run): tokens of attempts that later fail,
     * are aborted or whose worker dies are counted too. The answer's own event sums its attempt's calls.
     */
    | { kind: 'model_call'; result: 'ok'; model: string; step: number; usage: AgentUsage }
    /** `error` is the failure's code (model_unavailable, tool_server_unavailable, internal_error, ...). */
    | { kind: 'answer_failed'; result: 'error'; error: string; usage?: AgentUsage }
    /** The card was posted (the dry run's preview is on it). */
    | (ApprovalFields & { kind: 'approval_requested' | 'approval_approved' | 'approval_denied' | 'approval_expired'; result: 'ok' })
    /** A click that changed nothing; `reason` is what the clicker was told. For an unknown token `tool` is empty and `user` is the clicker. */
    | (ApprovalFields & { kind: 'approval_refused'; result: 'error'; reason: string })
    /**
     * A Grafana snapshot a tool created for this answer (prometheus_range_query). The delete URL is kept here,
     * and only here: the answer shows `url`, the model sees neither.
     */
    | { kind: 'grafana_snapshot'; result: 'ok'; tool: string; query: string; url: string; deleteUrl: string; expiresAt: string }
    /** The approved action ran (`dryRun: false`); `result` is the call's. */
    | (ApprovalFields & { kind: 'approval_executed'; result: 'ok' | 'error' })
    /**
     * The MCP server refused a call before it ran: a write without a valid approval grant, or any write tool called
     * with a read-only token. Written by the MCP server: `platform` is 'mcp', `cluster` the kube context, `user` and
     * `caller` the X-Ai4k8s-User the request named ('' / absent when none), `token` which kind of token it presented.
     * `arguments` are redacted; `code` says why in a word (grant_missing, grant_replayed, read_only_token, ...).
     */
    | {
        kind: 'mcp_call_refused';
        result: 'error';
        tool: string;
        arguments: unknown;
        code: string;
        reason: string;
        token: 'bot' | 'read';
        caller?: string;
      }
  );
