import type { AgentUsage } from '../src/contract/agent-usage.ts';

/** US dollars per million tokens: input, output, cache read, cache write (5-minute). Public list prices. */
const PRICES: Record<string, { input: number; output: number; cacheRead: number; cacheWrite: number }> = {
  opus: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  sonnet: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  haiku: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
};

/** What an answer's usage costs with a model of this family; undefined for a model not priced here. */
export function costOf(model: string, usage: AgentUsage): number | undefined {
  const family = Object.keys(PRICES).find((name) => model.toLowerCase().includes(name));
  const price = family === undefined ? undefined : PRICES[family];
  if (price === undefined) return undefined;
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadTokens * price.cacheRead +
      usage.cacheWriteTokens * price.cacheWrite) /
    1e6
  );
}
