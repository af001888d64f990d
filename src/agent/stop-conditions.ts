import type { AgentUsage } from '../contract/agent-usage.ts';

/** What a stop condition sees after a model turn that asked for tools, before those tools run. */
export interface LoopState {
  /** Model calls made so far (this turn's included). */
  step: number;
  /** Usage summed over every model call so far. */
  usage: AgentUsage;
}

/** Why the loop stopped early; `composeAnswerView` tells the user which. */
export type StopOutcome = 'step_limit' | 'token_budget';

/**
 * One reason to stop the loop: the outcome to stop with, or undefined to go on. The loop checks its conditions
 * in order after each turn that asks for tools, before they run (their results would reach no model).
 */
export type StopCondition = (state: LoopState) => StopOutcome | undefined;

/** Stops after `steps` model calls (AGENT_MAX_STEPS). */
export const maxSteps =
  (steps: number): StopCondition =>
  ({ step }) =>
    step >= steps ? 'step_limit' : undefined;

/** Stops once the answer's input + output tokens pass `tokens` (AGENT_MAX_TOKENS_PER_ANSWER); cache tokens do not count. */
export const tokenBudget =
  (tokens: number): StopCondition =>
  ({ usage }) =>
    usage.inputTokens + usage.outputTokens > tokens ? 'token_budget' : undefined;
