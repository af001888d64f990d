import type { z } from 'zod';
import type { KubeClient } from '../kube/create-kube-client.ts';

/** The annotations every tool states; policy (read-only mode, write tiers) is derived from them. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool hands back: compact text for the model, optional structured data for programs. */
export interface ToolResult {
  text: string;
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
