const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * Estimated model tokens of a text, closer than chars/4 on what tools return: padded tables (a single space
 * costs nothing, a run of spaces one token per 8), JSON (every brace and quote is one), words (one per 4
 * letters), numbers (one per 3 digits) and hashes or IDs (mixed letters and digits: one per 2). It errs high,
 * so a budget it enforces holds for real tokenizers. One pass over the text, no allocation per piece.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isLetter(c) || isDigit(c)) {
      const letters = isLetter(c);
      let j = i + 1;
      while (j < n && (letters ? isLetter(text.charCodeAt(j)) : isDigit(text.charCodeAt(j)))) j++;
      const next = j < n ? text.charCodeAt(j) : -1;
      const mixedNext = letters ? isDigit(next) : isLetter(next);
      if (!mixedNext) {
        tokens += Math.ceil((j - i) / (letters ? 4 : 3));
        i = j;
        continue;
      }
      // A run that turns into the other kind: all but its last character count as plain, the rest of the
      // alphanumeric run from there as a mixed ID.
      if (j - i > 1) tokens += Math.ceil((j - 1 - i) / (letters ? 4 : 3));
      let k = j;
      while (k < n && (isLetter(text.charCodeAt(k)) || isDigit(text.charCodeAt(k)))) k++;
      tokens += Math.ceil((k - (j - 1)) / 2);
      i = k;
    } else if (isBlank(c)) {
      let j = i + 1;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (j - i > 1) tokens += Math.ceil((j - i) / 8);
      i = j;
    } else {
      tokens += 1;
      i++;
    }
  }
  return tokens;
}
