/** Characters that end a token: a credential never spans one, so a cut back to one never shows half of it. */
const TOKEN_END = /[\s,;"'{}[\]()<>]/;

/**
 * The first `maxChars` characters of cluster text, cut where no credential can be half-shown: at the cut, the
 * partial token (back to whitespace or a delimiter) is dropped too, so a key or token straddling the cut
 * disappears whole instead of leaving a prefix redaction can no longer recognise. Ends with "…" when cut.
 */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, tokenSafeEnd(text, maxChars))}…`;
}

/**
 * Where to end a cut of `text` at or before `limit`: `limit` itself when a token boundary is there, else the
 * start of the token the limit falls in (scanning back at most `maxBack` characters; past that, 0).
 */
export function tokenSafeEnd(text: string, limit: number, maxBack = 4096): number {
  if (limit >= text.length) return text.length;
  if (TOKEN_END.test(text[limit] ?? '')) return limit;
  const floor = Math.max(0, limit - maxBack);
  for (let i = limit - 1; i >= floor; i--) if (TOKEN_END.test(text[i] ?? '')) return i + 1;
  return 0;
}

/** Where to start a cut of `text` at or after `from`: the first token boundary there (scanning at most `maxAhead`). */
export function tokenSafeStart(text: string, from: number, maxAhead = 4096): number {
  if (from <= 0) return 0;
  if (TOKEN_END.test(text[from - 1] ?? '')) return from;
  const ceiling = Math.min(text.length, from + maxAhead);
  for (let i = from; i < ceiling; i++) if (TOKEN_END.test(text[i] ?? '')) return i;
  return text.length;
}
