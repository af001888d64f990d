import { isSpaceCode, isWordCode, nextLineBreak } from './char-classes.ts';

/**
 * One emphasis rule of the form `(?<!A)DELIM(?!B)(.+?)(?<!C)DELIM(?!D)` applied with a global replace, in
 * linear time. The lazy pattern rescanned the rest of the line from every opening delimiter that had no
 * closing one (`*a *a *a …`), which is quadratic; here the closing delimiters are listed once and each
 * opening one takes the first closing one after it, as the lazy match did.
 */
export interface EmphasisRule {
  delimiter: string;
  /** Whether a delimiter with these neighbours opens (`before`/`after` are NaN at the ends of the text). */
  opens: (before: number, after: number) => boolean;
  closes: (before: number, after: number) => boolean;
  wrap: (content: string) => string;
}

export function applyEmphasis(text: string, { delimiter, opens, closes, wrap }: EmphasisRule): string {
  const length = delimiter.length;
  const closers: number[] = [];
  for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, at + 1)) {
    if (closes(text.charCodeAt(at - 1), text.charCodeAt(at + length))) closers.push(at);
  }
  if (closers.length === 0) return text;
  let out = '';
  let copied = 0;
  let next = 0;
  let lineBreak = -1;
  for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, at + 1)) {
    if (at < copied || !opens(text.charCodeAt(at - 1), text.charCodeAt(at + length))) continue;
    // `.+?`: at least one character, none of them a line break.
    while (next < closers.length && (closers[next] ?? Infinity) < at + length + 1) next += 1;
    const closer = closers[next];
    if (closer === undefined) break;
    if (lineBreak < at) lineBreak = nextLineBreak(text, at);
    if (closer > lineBreak) continue;
    out += text.slice(copied, at) + wrap(text.slice(at + length, closer));
    copied = closer + length;
    at = copied - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A code unit in `[*\w]`-style sets: `\w`, or one of the given characters. */
export function isWordOr(...chars: string[]): (code: number) => boolean {
  const codes = chars.map((char) => char.charCodeAt(0));
  return (code) => isWordCode(code) || codes.includes(code);
}

/** A code unit in `[\s*]`-style sets: `\s`, or one of the given characters. */
export function isSpaceOr(...chars: string[]): (code: number) => boolean {
  const codes = chars.map((char) => char.charCodeAt(0));
  return (code) => isSpaceCode(code) || codes.includes(code);
}
