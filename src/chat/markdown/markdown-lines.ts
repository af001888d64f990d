import { isBlankCode, isLineBreakCode, runEnd, skipBlanks } from './char-classes.ts';

/**
 * Block-level Markdown line parsers in linear time. Each states the pattern it replaces and returns what
 * that pattern captured, so the converters behave as before on every input, without backtracking.
 */

export interface HeadingOptions {
  minHashes: number;
  maxHashes: number;
  /** The text must be separated from the hashes by a blank (`#x` is not a heading either way). */
  textRequired: 'optional' | 'blank-separated' | 'non-empty';
}

/**
 * A heading line's text, as `^ {0,3}#{min,max}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$` captures it (the optional
 * closing hashes dropped); undefined when the line is not one. With `optional`, a bare `###` is a heading
 * with empty text; with `non-empty`, the text is `.+?` (at least one character).
 */
export function parseHeading(line: string, { minHashes, maxHashes, textRequired }: HeadingOptions): string | undefined {
  let at = 0;
  while (at < 3 && line.charCodeAt(at) === 32) at += 1;
  if (line.charCodeAt(at) !== 35) return undefined;
  const hashesEnd = runEnd(line, at);
  const hashes = hashesEnd - at;
  if (hashes < minHashes || hashes > maxHashes) return undefined;
  if (hashesEnd === line.length) return textRequired === 'optional' ? '' : undefined;
  if (!isBlankCode(line.charCodeAt(hashesEnd))) return undefined;
  const textStart = skipBlanks(line, hashesEnd);
  const text = line.slice(textStart);
  if (hasLineBreak(text)) return undefined;
  if (text === '') {
    if (textRequired !== 'non-empty') return '';
    // `.+?` takes one of the blanks when there are at least two.
    return textStart - hashesEnd >= 2 ? line.charAt(textStart - 1) : undefined;
  }
  return withoutClosingHashes(text);
}

/** The shortest prefix whose rest is `(?:[ \t]+#+)?[ \t]*`: trailing blanks, and closing hashes after a blank. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && isBlankCode(text.charCodeAt(end - 1))) end -= 1;
  let hashes = end;
  while (hashes > 0 && text.charCodeAt(hashes - 1) === 35) hashes -= 1;
  if (hashes === end || hashes === 0 || !isBlankCode(text.charCodeAt(hashes - 1))) return text.slice(0, end);
  let blanks = hashes;
  while (blanks > 0 && isBlankCode(text.charCodeAt(blanks - 1))) blanks -= 1;
  return text.slice(0, blanks);
}

export interface FenceOpening {
  indent: string;
  /** The run of three or more backticks or tildes. */
  marker: string;
  /** Everything after the marker (the info string). */
  info: string;
}

/** A fence opening line, as `^([ \t]*)(`{3,}|~{3,})(.*)$` matches it. */
export function parseFenceOpen(line: string): FenceOpening | undefined {
  const markerStart = skipBlanks(line, 0);
  const marker = fenceRun(line, markerStart);
  if (marker === undefined) return undefined;
  const info = line.slice(markerStart + marker.length);
  if (hasLineBreak(info)) return undefined;
  return { indent: line.slice(0, markerStart), marker, info };
}

/** The marker of a fence closing line, as `^[ \t]*(`{3,}|~{3,})[ \t]*$` matches it. */
export function parseFenceClose(line: string): string | undefined {
  const markerStart = skipBlanks(line, 0);
  const marker = fenceRun(line, markerStart);
  if (marker === undefined) return undefined;
  return skipBlanks(line, markerStart + marker.length) === line.length ? marker : undefined;
}

/** The fence marker at the start of a line after its indentation, as `^[ \t]*(`{3,}|~{3,})` matches it. */
export function fenceMarkerAt(line: string): string | undefined {
  return fenceRun(line, skipBlanks(line, 0));
}

function fenceRun(line: string, start: number): string | undefined {
  const code = line.charCodeAt(start);
  if (code !== 96 && code !== 126) return undefined;
  const end = runEnd(line, start);
  return end - start >= 3 ? line.slice(start, end) : undefined;
}

/**
 * A pipe table's delimiter row, as
 * `^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$` matches it.
 */
export function isTableDelimiter(line: string): boolean {
  let at = skipBlanks(line, 0);
  if (line.charCodeAt(at) === 124) at = skipBlanks(line, at + 1);
  let cellEnd = delimiterCell(line, at);
  if (cellEnd === undefined) return false;
  for (;;) {
    at = cellEnd;
    if (at === line.length) return true;
    if (line.charCodeAt(at) !== 124) return false;
    const next = skipBlanks(line, at + 1);
    if (next === line.length) return true;
    cellEnd = delimiterCell(line, next);
    if (cellEnd === undefined) return false;
  }
}

/** `:?-+:?[ \t]*` at `start`: the index after it, or undefined. */
function delimiterCell(line: string, start: number): number | undefined {
  let at = start;
  if (line.charCodeAt(at) === 58) at += 1;
  if (line.charCodeAt(at) !== 45) return undefined;
  at = runEnd(line, at);
  if (line.charCodeAt(at) === 58) at += 1;
  return skipBlanks(line, at);
}

/** A line without its Markdown hard break: trailing blanks, else one trailing backslash (`(?:\\|[ \t]+)$`). */
export function withoutHardBreak(line: string): string {
  let end = line.length;
  while (end > 0 && isBlankCode(line.charCodeAt(end - 1))) end -= 1;
  if (end < line.length) return line.slice(0, end);
  return line.endsWith('\\') ? line.slice(0, -1) : line;
}

function hasLineBreak(text: string): boolean {
  for (let at = 0; at < text.length; at += 1) if (isLineBreakCode(text.charCodeAt(at))) return true;
  return false;
}
