import { isBlankCode, isLineBreakCode, isSpaceCode } from './markdown/char-classes.ts';

/**
 * Next-position tables over a long text, built once in linear time, so that a splitter cutting the text
 * into hundreds of messages answers "where does this line end / this run of backticks end / the next
 * non-blank start" in constant time for any position, including in the middle of a very long line.
 */
export interface TextIndex {
  /** The next `\n` at or after a position (or the length). */
  lineEnd: Int32Array;
  /** The next character that is not `\s` (what `trim()` keeps). */
  nonSpace: Int32Array;
  /** The next character that is neither ` ` nor `\t`. */
  nonBlank: Int32Array;
  /** The end of the run of identical characters a position starts. */
  runEnd: Int32Array;
  /** The next line break as `.` sees it (`\n`, `\r`, U+2028, U+2029). */
  lineBreak: Int32Array;
  /** The next backtick. */
  backtick: Int32Array;
  /** The next `<`, `>` or `\n`. */
  angle: Int32Array;
}

export function indexText(text: string): TextIndex {
  const length = text.length;
  const tables = {
    lineEnd: table(length),
    nonSpace: table(length),
    nonBlank: table(length),
    runEnd: table(length),
    lineBreak: table(length),
    backtick: table(length),
    angle: table(length),
  };
  const { lineEnd, nonSpace, nonBlank, runEnd, lineBreak, backtick, angle } = tables;
  for (let at = length - 1; at >= 0; at -= 1) {
    const code = text.charCodeAt(at);
    lineEnd[at] = code === 10 ? at : (lineEnd[at + 1] ?? length);
    nonSpace[at] = isSpaceCode(code) ? (nonSpace[at + 1] ?? length) : at;
    nonBlank[at] = isBlankCode(code) ? (nonBlank[at + 1] ?? length) : at;
    runEnd[at] = at + 1 < length && text.charCodeAt(at + 1) === code ? (runEnd[at + 1] ?? length) : at + 1;
    lineBreak[at] = isLineBreakCode(code) ? at : (lineBreak[at + 1] ?? length);
    backtick[at] = code === 96 ? at : (backtick[at + 1] ?? length);
    angle[at] = code === 60 || code === 62 || code === 10 ? at : (angle[at + 1] ?? length);
  }
  return tables;
}

/** One entry per position and one for the end itself, which answers the length. */
function table(length: number): Int32Array {
  const values = new Int32Array(length + 1);
  values[length] = length;
  return values;
}
