import { estimateTokens } from './estimate-tokens.ts';

/**
 * The newest (last) whole lines of a log that fit in `tokens`, and how many older lines were dropped.
 * For logs the end matters most, so they are sized here rather than cut from the end by runTool.
 */
export function keepNewestLines(text: string, tokens: number): { kept: string; droppedLines: number } {
  const lines = text.replace(/\n$/, '').split('\n');
  let used = 0;
  let first = lines.length;
  while (first > 0) {
    const cost = estimateTokens(lines[first - 1] ?? '') + 1;
    if (used + cost > tokens) break;
    used += cost;
    first--;
  }
  if (first === 0) return { kept: text, droppedLines: 0 };
  // Even the last line is over the budget: keep it, runTool cuts it to size.
  if (first === lines.length) first = lines.length - 1;
  return { kept: lines.slice(first).join('\n'), droppedLines: first };
}
