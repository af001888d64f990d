import { z } from 'zod';

/**
 * Where the error of a failed call (an isError result) travels for a tool that declares an outputSchema: the
 * result's `_meta`, not its structuredContent. The SDK's Client.callTool checks structuredContent against the
 * outputSchema even on isError results (typescript-sdk issue #1943; the server skips them, as the spec says), so
 * an error's `{ error: { code } }` there would turn a "pod not found" into a thrown protocol error. Tools without
 * an outputSchema keep it in structuredContent; `toolErrorContent` reads both.
 */
export const TOOL_ERROR_META_KEY = 'dev.ai4k8s/error';

/** A failed call's coded error: `kube_unreachable`, `tool_refused`, `not_found`, ... */
export const toolErrorSchema = z.looseObject({ code: z.string(), reason: z.string().optional() });
export type ToolError = z.infer<typeof toolErrorSchema>;

/** The structuredContent a caller sees for an isError result: its own, else `{ error }` from `_meta`. */
export function toolErrorContent(result: { structuredContent?: unknown; _meta?: unknown }): Record<string, unknown> | undefined {
  if (isRecord(result.structuredContent)) return result.structuredContent;
  const parsed = toolErrorSchema.safeParse(isRecord(result._meta) ? result._meta[TOOL_ERROR_META_KEY] : undefined);
  return parsed.success ? { error: parsed.data } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
