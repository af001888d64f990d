import { estimateTokens } from '../kube/estimate-tokens.ts';

export interface LogExcerptOptions {
  lines: readonly string[];
  /** The line that must survive, with a little context around it. */
  decisive?: number | undefined;
  tokens: number;
  /** Characters kept of one line (its head and its tail); the decisive line may keep twice as many. */
  lineChars?: number;
}

/** Lines of context kept on each side of the decisive line. */
const CONTEXT = 2;
/** The first lines (the start banner, the version) are kept when there is room. */
const HEAD = 2;

/**
 * A log cut to a token budget from both ends, never losing the decisive line: it keeps that line and
 * its neighbours first, then the first lines (the start banner), then the newest ones, and marks each gap
 * ("… 37 lines left out …"). Over-long lines keep their head and tail, where the level and the error
 * usually are.
 */
export function logExcerpt({ lines, decisive, tokens, lineChars = 300 }: LogExcerptOptions): string {
  const shown = lines.map((line, i) => cutLine(line, i === decisive ? lineChars * 2 : lineChars));
  const cost = shown.map((line) => estimateTokens(line) + 1);
  const total = cost.reduce((a, b) => a + b, 0);
  if (total <= tokens) return shown.join('\n');
  const keep = new Set<number>();
  let used = 0;
  const marker = 12; // "… n lines left out …" per gap
  const take = (i: number): boolean => {
    if (i < 0 || i >= shown.length || keep.has(i)) return true;
    const price = (cost[i] ?? 0) + marker;
    if (used + price > tokens && keep.size > 0) return false;
    keep.add(i);
    used += cost[i] ?? 0;
    return true;
  };
  if (decisive !== undefined) {
    take(decisive);
    for (let d = 1; d <= CONTEXT; d++) {
      take(decisive - d);
      take(decisive + d);
    }
  }
  for (let i = 0; i < Math.min(HEAD, shown.length); i++) if (!take(i)) break;
  for (let i = shown.length - 1; i >= 0; i--) if (!take(i)) break;
  const out: string[] = [];
  let gap = 0;
  for (let i = 0; i < shown.length; i++) {
    if (keep.has(i)) {
      if (gap > 0) out.push(`… ${gap} line${gap === 1 ? '' : 's'} left out …`);
      gap = 0;
      out.push(shown[i] ?? '');
    } else gap++;
  }
  if (gap > 0) out.push(`… ${gap} line${gap === 1 ? '' : 's'} left out …`);
  return out.join('\n');
}

/** A line over `max` characters keeps its head and tail around a marker. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  return `${line.slice(0, head)} […${line.length - max} chars…] ${line.slice(line.length - tail)}`;
}
