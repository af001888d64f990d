import { redactStructured } from './redact-structured.ts';
import { redactText } from './redact-text.ts';
import { redactionMarker } from './redaction-marker.ts';
import type { ToolResult } from './tool-definition.ts';

/**
 * Redacts a tool's answer before it leaves the server: text and structuredContent alike. Values hidden
 * in the structured data are also scrubbed from the text by value, in case the tool rendered them.
 */
export function redactToolResult(result: ToolResult): ToolResult {
  const structured = result.structuredContent === undefined ? undefined : redactStructured(result.structuredContent);
  let text = redactText(result.text);
  for (const value of structured?.hidden ?? []) text = text.split(value).join(redactionMarker('secret value'));
  const out: ToolResult = { text };
  if (structured !== undefined) out.structuredContent = structured.value as Record<string, unknown>;
  if (result.isError === true) out.isError = true;
  return out;
}
