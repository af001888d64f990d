import { runEnd, skipBlanks } from './markdown/char-classes.ts';

export interface CodePreviewLimits {
  maxCodeLines: number;
  previewLines: number;
}

/**
 * Code blocks longer than `maxCodeLines` keep their first `previewLines` lines and say how many follow. A block
 * is what `/^([ \t]*)(`{3,}|~{3,})([^\n]*)\n([\s\S]*?)\n[ \t]*\2[ \t]*$/gm` matched: an opening fence line, then
 * the first later line (not the very next one) whose fence is exactly the opening one; when no line closes the
 * full fence, a shorter one (the pattern backtracked). Here the closing lines are listed once per fence, so
 * unclosed fences cost nothing more (the pattern rescanned the rest of the answer from each of them).
 */
export function previewCodeBlocks(markdown: string, limits: CodePreviewLimits): string {
  if (!markdown.includes('```') && !markdown.includes('~~~')) return markdown;
  const lines = markdown.split('\n');
  const closers = closingLines(lines);
  const cursors = new Map<string, number>();
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const found = index + 2 < lines.length ? blockIn(line, index, closers, cursors) : undefined;
    if (found === undefined) {
      out.push(line);
      continue;
    }
    const { from, indent, fence, info, closer, closerEnd } = found;
    const closing = lines[closer] ?? '';
    const code = lines.slice(index + 1, closer);
    const block =
      code.length <= limits.maxCodeLines
        ? [line.slice(from), ...code, closing.slice(0, closerEnd)].join('\n')
        : `${indent}${fence}${info}\n${code.slice(0, limits.previewLines).join('\n')}\n${indent}${fence}\n${indent}_(${code.length - limits.previewLines} more lines in the attached file)_`;
    out.push(line.slice(0, from) + block + closing.slice(closerEnd));
    index = closer;
  }
  return out.join('\n');
}

interface Block {
  /** Where the opening fence line starts: the line's start, or after a `\r` or U+2028/9 in it (`^` with `m`). */
  from: number;
  indent: string;
  fence: string;
  info: string;
  /** Index of the closing line, and where its match ends (after its trailing blanks). */
  closer: number;
  closerEnd: number;
}

/** Lines that can close a fence: `[ \t]*` + a run of 3+ backticks or tildes + `[ \t]*` + the end (or `\r`, U+2028/9). */
function closingLines(lines: readonly string[]): Map<string, { index: number; end: number }[]> {
  const closers = new Map<string, { index: number; end: number }[]>();
  lines.forEach((line, index) => {
    const start = skipBlanks(line, 0);
    const code = line.charCodeAt(start);
    if (code !== 96 && code !== 126) return;
    const markerEnd = runEnd(line, start);
    const end = skipBlanks(line, markerEnd);
    const after = line.charCodeAt(end);
    if (markerEnd - start < 3 || !(end === line.length || after === 13 || after === 0x2028 || after === 0x2029)) return;
    const key = line.slice(start, markerEnd);
    const list = closers.get(key) ?? [];
    list.push({ index, end });
    closers.set(key, list);
  });
  return closers;
}

/** The first block opening in the line: at its start, else after a line terminator other than `\n` in it. */
function blockIn(
  line: string,
  index: number,
  closers: ReadonlyMap<string, { index: number; end: number }[]>,
  cursors: Map<string, number>,
): Block | undefined {
  for (let from = 0; from !== -1; from = nextLineStart(line, from)) {
    const block = blockAt(line, from, index, closers, cursors);
    if (block !== undefined) return block;
  }
  return undefined;
}

function nextLineStart(line: string, from: number): number {
  for (let at = from; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    if (code === 13 || code === 0x2028 || code === 0x2029) return at + 1;
  }
  return -1;
}

function blockAt(
  line: string,
  from: number,
  index: number,
  closers: ReadonlyMap<string, { index: number; end: number }[]>,
  cursors: Map<string, number>,
): Block | undefined {
  const start = skipBlanks(line, from);
  const code = line.charCodeAt(start);
  if (code !== 96 && code !== 126) return undefined;
  const markerEnd = runEnd(line, start);
  for (let length = markerEnd - start; length >= 3; length -= 1) {
    const fence = line.slice(start, start + length);
    const list = closers.get(fence);
    if (list === undefined) continue;
    let cursor = cursors.get(fence) ?? 0;
    while (cursor < list.length && (list[cursor]?.index ?? Infinity) < index + 2) cursor += 1;
    cursors.set(fence, cursor);
    const closer = list[cursor];
    if (closer !== undefined)
      return {
        from,
        indent: line.slice(from, start),
        fence,
        info: line.slice(start + length),
        closer: closer.index,
        closerEnd: closer.end,
      };
  }
  return undefined;
}
