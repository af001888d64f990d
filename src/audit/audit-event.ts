import type { AgentUsage } from '../agent/run-agent.ts';

/** Who asked, where, and through which job: the same on every event of one answer. */
export interface AuditContext {
  platform: string;
  channel: string;
  user: string;
  jobId: string;
  /** The worker cannot see the MCP server's cluster, so this is the MCP URL's host ('default' without one). */
  cluster: string;
}

/** One audit record: a tool call or the end of an answer. Arguments are redacted before they get here. */
export type AuditEvent = AuditContext & {
  /** ISO-8601. */
  at: string;
  durationMs: number;
} & (
    | { kind: 'tool_call'; tool: string; arguments: unknown; result: 'ok' | 'error' }
    | { kind: 'answer'; result: 'ok'; usage: AgentUsage }
    /** `error` is the failure's code (model_unavailable, tool_server_unavailable, internal_error, ...). */
    | { kind: 'answer_failed'; result: 'error'; error: string; usage?: AgentUsage }
  );
