import type Anthropic from '@anthropic-ai/sdk';

/** A rough token count of stored messages (characters / 4), enough to keep history inside a budget. */
export function estimateHistoryTokens(messages: readonly Anthropic.MessageParam[]): number {
  return Math.ceil(JSON.stringify(messages).length / 4);
}
