import type { z } from 'zod';
import type { KubeClient } from '../kube/create-kube-client.ts';

/** The annotations every tool states; policy (read-only mode, write tiers) is derived from them. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Words the tool writes itself (counts, the names it was asked about, hints): shown as they are. */
export interface OwnText {
  own: string;
}

/** Text from the cluster or a monitoring backend (messages, annotations, data, logs, label values): fenced. */
export interface UntrustedText {
  untrusted: string;
  /** What it is, for the fence's label: "events in namespace shop", "logs of pod shop/x". */
  source: string;
}

/** One block of lines of a result, in order. */
export type ResultPart = OwnText | UntrustedText;

/** What a tool hands back: compact text for the model, optional structured data for programs. */
export interface ToolResult {
  /**
   * What the model reads. runTool fences every untrusted part as data; a plain string counts as untrusted
   * as a whole, so only text a tool marks as its own (`own(...)`, src/mcp/result-parts.ts) is ever shown
   * outside a fence: forgetting to mark cluster text fences it rather than leaking it (decision 016).
   */
  text: string | readonly ResultPart[];
  structuredContent?: Record<string, unknown>;
  /** A domain failure the model can act on (not found, forbidden, bad argument). */
  isError?: boolean;
}

/** What a tool call may use. Built per call: `kube` is already the chosen context and the caller's identity. */
export interface ToolContext {
  kube: KubeClient;
  /**
   * Is this resource kind denied by policy (MCP_DENIED_KINDS)? A `kind` argument is checked before any
   * handler runs; a tool that resolves kinds itself (short names, kubectl resources) asks again with the
   * resolved kind. Absent: nothing denied.
   */
  deniesKind?: (kind: string) => boolean;
  /** Aborted when the client cancels the call or disconnects. */
  signal?: AbortSignal;
  /**
   * Most tokens a result may take (MCP_OUTPUT_TOKENS). runTool cuts anything longer; tools that can size
   * their answer (list pages, log tails) read it to fit whole rows and lines instead.
   */
  outputTokens?: number;
}

export type ToolInputShape = z.ZodRawShape;

/** One MCP tool as data: name, schema, annotations, and the function that runs it. */
export interface ToolDefinition<Shape extends ToolInputShape = ToolInputShape> {
  /** resource_verb, e.g. pods_list. */
  name: string;
  title: string;
  description: string;
  inputSchema: Shape;
  annotations: ToolAnnotations;
  // Method syntax on purpose: it lets a ToolDefinition<{ namespace: ... }> sit in a ToolDefinition[].
  handler(args: z.output<z.ZodObject<Shape>>, context: ToolContext): Promise<ToolResult>;
}

/** Infers the handler's argument type from the schema; returns the definition unchanged. */
export function defineTool<Shape extends ToolInputShape>(definition: ToolDefinition<Shape>): ToolDefinition {
  return definition;
}

/**
 * Annotations shared by every tool that only reads from the cluster. openWorldHint is true because the
 * cluster is an outside system whose contents change independently of this server.
 */
export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Annotations of a tool that changes the cluster; `destructive` when it deletes, replaces or stops something. */
export function writeAnnotations({ destructive, idempotent }: { destructive: boolean; idempotent: boolean }): ToolAnnotations {
  return { readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true };
}
