import type Anthropic from '@anthropic-ai/sdk';

/**
 * The worker's view of the MCP server's tools: what the agent loop, the audit, the channel policy and the digests
 * call, whichever transport stands behind it (src/agent/mcp-toolbox.ts connects the real one).
 */

export interface ToolOutcome {
  text: string;
  isError: boolean;
  /** The call never completed (the MCP server went away): a shared connection should be renewed. */
  transportFailed?: boolean;
  /** The tool's structured result, for the worker (graphs, links); the model sees only `text`. */
  structuredContent?: Record<string, unknown>;
}

/** A tool's MCP annotations that matter to the worker; an absent readOnlyHint means the tool may change something. */
export interface ToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/** Per-call extras that are not tool arguments (the model never sees or supplies them). */
export interface ToolCallOptions {
  /** Sent as the tools/call request's `_meta`, e.g. an approved write's grant (APPROVAL_GRANT_META_KEY). */
  meta?: Record<string, unknown>;
}

/** The tools the model may call, and how to call them. */
export interface Toolbox {
  tools: Anthropic.Tool[];
  /** Each tool's annotations from `tools/list`, by name (kept beside `tools`: the model API takes no annotations). */
  hints?: ReadonlyMap<string, ToolHints>;
  call(name: string, input: unknown, signal?: AbortSignal, options?: ToolCallOptions): Promise<ToolOutcome>;
  close(): Promise<void>;
}

/** One tool call of an answer, as the worker keeps it for what it adds to the answer (graphs, links) and audits. */
export interface ToolCallRecord {
  name: string;
  input: unknown;
  isError: boolean;
  /** The tool's structured result (never sent to the model), for what the worker adds to the answer: graphs, links. */
  structuredContent?: Record<string, unknown>;
}
