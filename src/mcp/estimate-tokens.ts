/** Letters, digits, mixed alphanumerics, space runs, newlines, and any other single character. */
const PIECE = /[A-Za-z]+(?![0-9])|[0-9]+(?![A-Za-z])|[A-Za-z0-9]+|[ \t]+|\n|[^]/g;

/**
 * Estimated model tokens of a text, closer than chars/4 on what tools return: padded tables (a single space
 * costs nothing, a run of spaces one token), JSON (every brace and quote is one) and hashes or IDs (mixed letters and
 * digits split into short tokens). It errs high, so a budget it enforces holds for real tokenizers.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(PIECE)) tokens += pieceTokens(piece);
  return tokens;
}

function pieceTokens(piece: string): number {
  const first = piece.charCodeAt(0);
  // A single space is merged into the word after it by BPE tokenizers.
  if (first === 0x20 || first === 0x09) return piece.length === 1 ? 0 : Math.ceil(piece.length / 8);
  if (piece.length === 1) return 1;
  if (/^[A-Za-z]+$/.test(piece)) return Math.ceil(piece.length / 4);
  if (/^[0-9]+$/.test(piece)) return Math.ceil(piece.length / 3);
  return Math.ceil(piece.length / 2);
}
