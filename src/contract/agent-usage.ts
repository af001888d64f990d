/** The tokens one answer (or one model call) used, as charged to the channel budget and audited. */
export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}
