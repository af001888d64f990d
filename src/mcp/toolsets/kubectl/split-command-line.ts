/** Shell operators that would mean "run more than kubectl": refused rather than passed along. */
const OPERATORS = new Set(['|', '||', '&', '&&', ';', '>', '>>', '<', '$(', '`']);

export type SplitResult = { ok: true; words: string[] } | { ok: false; message: string };

/**
 * Splits a command line into words the way a POSIX shell would for plain words: single quotes are
 * literal, double quotes allow \" and \\, a backslash escapes the next character. No expansion.
 */
export function splitCommandLine(line: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { ok: false, message: 'unterminated single quote' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        word += line[j] ?? '';
      }
      if (j >= line.length) return { ok: false, message: 'unterminated double quote' };
      inWord = true;
      i = j;
    } else if (ch === '\\') {
      word += line[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>`'.includes(ch) || (ch === '$' && line[i + 1] === '(')) {
      const op = [...OPERATORS].filter((o) => line.startsWith(o, i)).sort((a, b) => b.length - a.length)[0] ?? ch;
      return { ok: false, message: `shell operator "${op}" is not supported: send one kubectl command per call` };
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
