import { isLineBreakCode, isSpaceCode, isWordCode, runEnd } from './char-classes.ts';
import { nextIndexFinder } from './next-index.ts';

/**
 * Inline Markdown to the words it shows: links keep their label, marks and code ticks go. The same steps as
 *
 *   .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
 *   .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
 *   .replace(/(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])/g, '$1')
 *   .replace(/`+([^`]+)`+/g, '$1')
 *   .replace(/\s+/g, ' ').trim()
 *
 * with the first, third and fourth done by scans: as patterns they were quadratic on `[[[…`, `*a *a …` and
 * long backtick runs.
 */
export function plainText(markdown: string): string {
  const words = withoutCodeTicks(withoutEmphasis(withLinkLabels(markdown).replace(/(\*\*|__|~~)(.+?)\1/g, '$2')));
  return words.replace(/\s+/g, ' ').trim();
}

function withLinkLabels(text: string): string {
  if (!text.includes('](')) return text;
  const closeBracket = nextIndexFinder(text, (code) => code === 93);
  const closeParen = nextIndexFinder(text, (code) => code === 41);
  let out = '';
  let copied = 0;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    const labelStart = code === 91 ? at + 1 : code === 33 && text.charCodeAt(at + 1) === 91 ? at + 2 : -1;
    if (labelStart === -1) continue;
    const close = closeBracket(labelStart);
    if (text.charCodeAt(close + 1) !== 40) continue;
    const paren = closeParen(close + 2);
    if (paren === text.length) continue;
    out += text.slice(copied, at) + text.slice(labelStart, close);
    copied = paren + 1;
    at = paren;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const isMark = (code: number) => code === 42 || code === 95;
const isWordOrStar = (code: number) => isWordCode(code) || code === 42;

/**
 * `(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])` → `$1`. The optional group is tried first, so an opening mark takes
 * the first closing mark at least two characters on (on its line), and only failing that the one right after
 * a one-character text.
 */
function withoutEmphasis(text: string): string {
  const closers: number[] = [];
  for (let at = 2; at < text.length; at += 1) if (closesEmphasis(text, at)) closers.push(at);
  if (closers.length === 0) return text;
  let out = '';
  let copied = 0;
  let next = 0;
  let lineBreak = -1;
  for (let at = 0; at < text.length; at += 1) {
    if (
      !isMark(text.charCodeAt(at)) ||
      isWordOrStar(text.charCodeAt(at - 1)) ||
      at + 1 >= text.length ||
      isSpaceCode(text.charCodeAt(at + 1))
    )
      continue;
    while (next < closers.length && (closers[next] ?? Infinity) < at + 3) next += 1;
    if (lineBreak < at) {
      lineBreak = at;
      while (lineBreak < text.length && !isLineBreakCode(text.charCodeAt(lineBreak))) lineBreak += 1;
    }
    const later = closers[next];
    const closer = later !== undefined && later < lineBreak ? later : closesEmphasis(text, at + 2) ? at + 2 : undefined;
    if (closer === undefined) continue;
    out += text.slice(copied, at) + text.slice(at + 1, closer);
    copied = closer + 1;
    at = closer;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `(?<=\S)[*_](?![\w*])`: a mark after a non-space, not followed by a word character or `*`. */
function closesEmphasis(text: string, at: number): boolean {
  return isMark(text.charCodeAt(at)) && at > 0 && !isSpaceCode(text.charCodeAt(at - 1)) && !isWordOrStar(text.charCodeAt(at + 1));
}

/** `` `+([^`]+)`+ `` → `$1`: a run of backticks, text without one, and the next run. */
function withoutCodeTicks(text: string): string {
  if (!text.includes('`')) return text;
  const backtick = nextIndexFinder(text, (code) => code === 96);
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('`'); at !== -1 && at < text.length;) {
    const opened = runEnd(text, at);
    const closer = opened < text.length ? backtick(opened) : text.length;
    if (closer === text.length) break;
    const closed = runEnd(text, closer);
    out += text.slice(copied, at) + text.slice(opened, closer);
    copied = closed;
    at = text.indexOf('`', closed);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
