import { estimateTokens } from '../kube/estimate-tokens.ts';

/**
 * The newest (last) whole lines of a log that fit in `tokens`, and how many older lines were dropped.
 * For logs the end matters most, so they are sized here rather than cut from the end by runTool. Walks back
 * from the end and stops at the budget: the work is the kept lines plus one count of the dropped ones.
 */
export function keepNewestLines(text: string, tokens: number): { kept: string; droppedLines: number } {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  let used = 0;
  /** Start of the oldest line kept so far. */
  let first = body.length + 1;
  let keptLines = 0;
  while (first > 0) {
    const lineStart = first - 1 === 0 ? 0 : body.lastIndexOf('\n', first - 2) + 1;
    const cost = estimateTokens(body.slice(lineStart, first - 1)) + 1;
    if (used + cost > tokens) break;
    used += cost;
    keptLines++;
    first = lineStart;
  }
  if (first === 0) return { kept: text, droppedLines: 0 };
  // Even the last line is over the budget: keep it, runTool cuts it to size.
  if (keptLines === 0) first = body.lastIndexOf('\n') + 1;
  return { kept: body.slice(first), droppedLines: countLines(body, first) };
}

/** Lines that start before `end`. */
function countLines(text: string, end: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
