/** Shell operators that would mean "run more than kubectl": refused rather than passed along. */
const OPERATORS = new Set(['|', '||', '&', '&&', ';', '>', '>>', '<', '$(', '`']);

export type SplitResult = { ok: true; words: string[] } | { ok: false; message: string };

/** Characters that end a plain run: quotes, escapes, whitespace and the first character of every operator. */
const SPECIAL = /[\s'"\\|&;<>`$]/g;

/**
 * Splits a command line into words the way a POSIX shell would for plain words: single quotes are
 * literal, double quotes allow \" and \\, a backslash escapes the next character. No expansion. Plain runs
 * are copied as slices between special characters: one pass, linear time.
 */
export function splitCommandLine(line: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    SPECIAL.lastIndex = i;
    const special = SPECIAL.exec(line);
    const at = special === null ? line.length : special.index;
    if (at > i) {
      word += line.slice(i, at);
      inWord = true;
    }
    if (special === null) break;
    const ch = special[0];
    if (ch === "'") {
      const end = line.indexOf("'", at + 1);
      if (end === -1) return { ok: false, message: 'unterminated single quote' };
      word += line.slice(at + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      let j = at + 1;
      let from = j;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) {
          word += line.slice(from, j);
          from = ++j;
        }
      }
      if (j >= line.length) return { ok: false, message: 'unterminated double quote' };
      word += line.slice(from, j);
      inWord = true;
      i = j + 1;
    } else if (ch === '\\') {
      word += line[at + 1] ?? '';
      inWord = true;
      i = at + 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i = at + 1;
    } else if (ch === '$' && line[at + 1] !== '(') {
      word += ch;
      inWord = true;
      i = at + 1;
    } else {
      const op = [...OPERATORS].filter((o) => line.startsWith(o, at)).sort((a, b) => b.length - a.length)[0] ?? ch;
      return { ok: false, message: `shell operator "${op}" is not supported: send one kubectl command per call` };
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
