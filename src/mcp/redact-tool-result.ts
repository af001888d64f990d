import { redactStructured } from '../redact/redact-structured.ts';
import { redactText } from '../redact/redact-text.ts';
import { redactionMarker } from '../redact/redaction-marker.ts';
import { isUntrusted, resultParts } from './result-parts.ts';
import type { ResultPart, ToolResult } from './tool-definition.ts';

/**
 * Redacts a tool's answer before it leaves the server: every part of the text and the structuredContent.
 * Values hidden in the structured data are also scrubbed from the text by value, in case the tool rendered
 * them. The caller bounds the text first (runTool's window), so this is one linear pass over a page.
 */
export function redactToolResult(result: ToolResult): ToolResult & { text: readonly ResultPart[] } {
  const structured = result.structuredContent === undefined ? undefined : redactStructured(result.structuredContent);
  const hidden = [...(structured?.hidden ?? [])];
  const redact = (text: string): string => {
    let out = redactText(text);
    for (const value of hidden) if (out.includes(value)) out = out.split(value).join(redactionMarker('secret value'));
    return out;
  };
  const text = resultParts(result.text, 'tool output').map((part): ResultPart =>
    isUntrusted(part) ? { ...part, untrusted: redact(part.untrusted) } : { own: redact(part.own) },
  );
  const out: ToolResult & { text: readonly ResultPart[] } = { text };
  if (structured !== undefined) out.structuredContent = structured.value as Record<string, unknown>;
  if (result.isError === true) out.isError = true;
  return out;
}
