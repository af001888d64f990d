import { estimateTokens } from '../kube/estimate-tokens.ts';
import { renderResultParts } from './render-result-parts.ts';
import { resultParts } from './result-parts.ts';
import type { ToolResult } from './tool-definition.ts';

/** One page of a Kubernetes list call, as the list tools render it. */
export interface ListPage<Item> {
  items: Item[];
  continueToken?: string | undefined;
  /** The API's remainingItemCount: how many items follow this page (absent with selectors). */
  remaining?: number | undefined;
  /** Set when the page was fetched smaller than asked so that it fits the output budget. */
  shortenedFrom?: number | undefined;
}

export interface ListPageWithinBudgetOptions<Item> {
  limit: number;
  /** ToolContext.outputTokens; no shortening when absent. */
  budgetTokens: number | undefined;
  fetch: (limit: number) => Promise<ListPage<Item>>;
  render: (page: ListPage<Item>) => ToolResult;
}

/** A continue token's usual length, for sizing a page whose real token is not known yet. */
const TOKEN_STAND_IN = 'x'.repeat(160);

/**
 * Fetches a page and, when its rendering is over the budget, fetches a smaller page that fits instead
 * of letting the output be cut: the continue token of a cut page would skip the rows cut, while a
 * whole smaller page keeps a walk with `continue` free of gaps and duplicates.
 */
export async function listPageWithinBudget<Item>({
  limit,
  budgetTokens,
  fetch,
  render,
}: ListPageWithinBudgetOptions<Item>): Promise<ToolResult> {
  const page = await fetch(limit);
  const result = render(page);
  if (budgetTokens === undefined || page.items.length <= 1 || tokensOf(result) <= budgetTokens) return result;
  const fits = (count: number): boolean =>
    tokensOf(
      render({
        items: page.items.slice(0, count),
        continueToken: page.continueToken ?? TOKEN_STAND_IN,
        remaining: page.remaining,
        shortenedFrom: limit,
      }),
    ) <= budgetTokens;
  let low = 1;
  let high = page.items.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return render({ ...(await fetch(low)), shortenedFrom: limit });
}

/** Tokens of a result as the model will read it, fences included. */
function tokensOf(result: ToolResult): number {
  return estimateTokens(renderResultParts(resultParts(result.text, 'list')));
}

/** A client-node list answer as a ListPage. */
export function pageOf<Item>(list: { items: Item[]; metadata?: { _continue?: string; remainingItemCount?: number } }): ListPage<Item> {
  return { items: list.items, continueToken: list.metadata?._continue, remaining: list.metadata?.remainingItemCount };
}
