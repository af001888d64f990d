import { estimateTokens } from '../kube/estimate-tokens.ts';
import { untrustedFenceClosing } from '../contract/fence-untrusted.ts';

/** MCP_OUTPUT_TOKENS when unset: about a page of text, cheap enough to call several tools per turn. */
export const DEFAULT_OUTPUT_TOKENS = 2000;

export interface FitOutputBudgetOptions {
  text: string;
  budgetTokens: number;
  /** The continue token of a paginated result, repeated in the hint so it survives the cut. */
  continueToken?: string | undefined;
  /** How to ask for less, e.g. 'labelSelector, fieldSelector or a smaller limit'. */
  narrowWith: string;
  /** Lines already left out before the text came here (runTool's window); counted in the hint. */
  omittedBefore?: number;
}

export interface FittedOutput {
  text: string;
  /** Lines left out (a line cut in the middle counts as left out); 0 when the text fitted. */
  omittedLines: number;
}

/**
 * Cuts a result to the token budget at a line boundary, keeping the head (summaries and anomalies come
 * first), closing an untrusted-data fence the cut fell inside, and ending with a hint: what was left
 * out, the continue token, and how to narrow. The result never exceeds the budget.
 */
export function fitOutputBudget({
  text,
  budgetTokens,
  continueToken,
  narrowWith,
  omittedBefore = 0,
}: FitOutputBudgetOptions): FittedOutput {
  if (omittedBefore === 0 && estimateTokens(text) <= budgetTokens) return { text, omittedLines: 0 };
  const lines = text.split('\n');
  const hint = (omitted: number): string =>
    `[Output cut to fit the ${budgetTokens}-token budget: ${omitted} more line${omitted === 1 ? '' : 's'} left out.` +
    (continueToken === undefined
      ? ''
      : ` This page was cut, so continue="${continueToken}" resumes after rows not shown: repeat the call with a smaller limit to see them.`) +
    ` Narrow with ${narrowWith}.]`;
  const reserve = estimateTokens(hint(lines.length)) + 1;
  const kept: string[] = [];
  let used = 0;
  let openFence: string | undefined;
  for (const line of lines) {
    const fenceAfter = nextOpenFence(openFence, line);
    const cost = estimateTokens(line) + 1;
    const closerCost = fenceAfter === undefined ? 0 : estimateTokens(fenceAfter) + 1;
    if (used + cost + closerCost + reserve > budgetTokens) break;
    kept.push(line);
    used += cost;
    openFence = fenceAfter;
  }
  let partial = false;
  if (kept.length === 0) {
    // One line longer than the whole budget (a minified blob): keep as much of it as fits.
    kept.push(longestPrefixWithin(lines[0] ?? '', budgetTokens - reserve - 1));
    partial = true;
  }
  // A fence the cut fell inside is closed again, so its closing line is shown, not left out.
  const omitted = (): number =>
    lines.length - kept.length + (partial && kept.length > 0 ? 1 : 0) - (openFenceAfter(kept) === undefined ? 0 : 1) + omittedBefore;
  const build = (): string => {
    const closer = openFenceAfter(kept);
    return [...kept, ...(closer === undefined ? [] : [closer]), hint(omitted())].join('\n');
  };
  let out = build();
  // Token estimates are not exactly additive across joins: drop lines until the whole fits.
  while (estimateTokens(out) > budgetTokens && kept.length > 0) {
    kept.pop();
    out = build();
  }
  return { text: out, omittedLines: omitted() };
}

/** The closing line of the fence the lines leave open, if any. */
function openFenceAfter(lines: readonly string[]): string | undefined {
  let open: string | undefined;
  for (const line of lines) open = nextOpenFence(open, line);
  return open;
}

/** `open` is the closing line awaited, if inside a fence; a fence's own lines cannot open another. */
function nextOpenFence(open: string | undefined, line: string): string | undefined {
  if (open === undefined) return untrustedFenceClosing(line);
  return line === open ? undefined : open;
}

function longestPrefixWithin(line: string, tokens: number): string {
  let low = 0;
  // No estimate gives more than 8 characters a token (a run of spaces): searching further is wasted work.
  let high = Math.min(line.length, 8 * Math.max(0, tokens) + 16);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(line.slice(0, mid)) <= tokens) low = mid;
    else high = mid - 1;
  }
  return line.slice(0, low);
}
