/**
 * Character classes as JavaScript regular expressions define them, for the hand-written scanners that
 * replace patterns which backtracked on hostile input. Each takes a UTF-16 code unit (NaN past the end).
 */

/** `\w`: ASCII letters, digits and `_`. */
export function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** `\s`: the WhiteSpace and LineTerminator characters (what `trim()` removes). */
export function isSpaceCode(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** What `.` does not match: `\n`, `\r`, U+2028 and U+2029. */
export function isLineBreakCode(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** ` ` or `\t`. */
export function isBlankCode(code: number): boolean {
  return code === 32 || code === 9;
}

/** ASCII punctuation, what a Markdown backslash escapes: `[!-/:-@[-\x60{-~]`. */
export function isAsciiPunctuationCode(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e)
  );
}

/** The first index at or after `from` whose code unit is not ` ` or `\t`. */
export function skipBlanks(text: string, from: number): number {
  let at = from;
  while (isBlankCode(text.charCodeAt(at))) at += 1;
  return at;
}

/** The first index at or after `from` whose code unit differs from the one at `from` (the end of its run). */
export function runEnd(text: string, from: number): number {
  const code = text.charCodeAt(from);
  let at = from;
  while (text.charCodeAt(at) === code) at += 1;
  return at;
}

/** The index of the next line break (see `isLineBreakCode`) at or after `from`, or the length. */
export function nextLineBreak(text: string, from: number): number {
  let at = from;
  while (at < text.length && !isLineBreakCode(text.charCodeAt(at))) at += 1;
  return at;
}
