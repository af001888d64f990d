import type { OwnText, ResultPart, ToolResult, UntrustedText } from './tool-definition.ts';

/** The tool's own words: shown outside any fence. Only counts, names it was asked about, and its own sentences. */
export const own = (text: string): OwnText => ({ own: text });

/** Cluster or monitoring text: runTool fences it as untrusted data labelled with `source`. */
export const untrusted = (source: string, text: string): UntrustedText => ({ untrusted: text, source });

export const isUntrusted = (part: ResultPart): part is UntrustedText => 'untrusted' in part;

/** A result's text as parts: a plain string is one untrusted part, so text nobody marked is fenced. */
export function resultParts(text: ToolResult['text'], source: string): readonly ResultPart[] {
  return typeof text === 'string' ? [untrusted(source, text)] : text;
}
