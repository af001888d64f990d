import Anthropic from '@anthropic-ai/sdk';
import { callToolWithTimeout } from './call-tool-with-timeout.ts';
import { ModelRejectedError, ModelUnavailableError } from './errors.ts';
import type { AgentUsage } from '../contract/agent-usage.ts';
import type { ToolCallRecord, Toolbox, ToolOutcome } from '../contract/toolbox.ts';
import type { StopCondition, StopOutcome } from './stop-conditions.ts';

export interface AgentAnswer {
  text: string;
  /**
   * `end_turn`: the model finished; `max_tokens`: cut off; otherwise the stop condition that ended the loop
   * (`step_limit`: `maxSteps`; `token_budget`: `tokenBudget`).
   */
  outcome: 'end_turn' | 'max_tokens' | StopOutcome;
  steps: number;
  toolCalls: ToolCallRecord[];
  usage: AgentUsage;
  /** Wall time spent waiting for the model and for tools, for the per-stage breakdown in logs and benchmarks. */
  timings: { modelMs: number; toolsMs: number };
  /** This turn's messages, from the question to the last assistant message (tool calls and results included). */
  transcript: Anthropic.MessageParam[];
}

export interface AgentProgress {
  step: number;
  /** Tools the model asked for in this turn, about to run. */
  running: { name: string; input: unknown }[];
  /** Every tool call so far, oldest first. */
  done: ToolCallRecord[];
}

export interface RunAgentOptions {
  anthropic: Anthropic;
  model: string;
  system: string;
  question: string;
  /** The thread's earlier messages, oldest first, ending with an assistant message; the question follows them. */
  history?: readonly Anthropic.MessageParam[];
  toolbox: Toolbox;
  /**
   * When to stop before the model has finished (src/agent/stop-conditions.ts), e.g. `[maxSteps(8), tokenBudget(200_000)]`:
   * checked in order after each turn that asks for tools, before they run. The first that answers stops the loop.
   */
  stopWhen: readonly StopCondition[];
  /** max_tokens of each model call. */
  maxTokens?: number;
  /** A tool call the loop waits for at most this long (AGENT_TOOL_TIMEOUT_MS); then the model gets an isError result. */
  toolTimeoutMs?: number;
  onProgress?: (progress: AgentProgress) => void | Promise<void>;
  /**
   * Awaited in order as each step's model call returns, before its tools run (e.g. charging the channel's budget,
   * then auditing the call), so every token is accounted for even when the loop later fails, is aborted or its
   * worker dies. A hook that throws ends the loop with its error.
   */
  onStepFinish?: readonly StepHook[];
  /** Aborts the model call or tool calls in flight and stops the loop (the job's signal: shutdown, lock lost). */
  signal?: AbortSignal | undefined;
}

/** Told of each finished step (one model call); see `onStepFinish`. */
export type StepHook = (call: ModelCall) => Promise<void>;

/** One model call of the loop, as `onStepFinish` hooks get it. */
export interface ModelCall {
  step: number;
  model: string;
  usage: AgentUsage;
  durationMs: number;
  stopReason: string | null;
}

/**
 * The Claude tool loop: ask, run every tool_use of the turn concurrently (each within `toolTimeoutMs`), return all
 * results in one user message, repeat until the model ends its turn or a stop condition answers. A stop condition
 * stops before the tools of the last turn run, as their results would reach no model. The signal stops the loop
 * at once, without another model call.
 */
export async function runAgent({
  anthropic,
  model,
  system,
  question,
  history = [],
  toolbox,
  stopWhen,
  maxTokens = 4096,
  toolTimeoutMs,
  onProgress,
  onStepFinish = [],
  signal,
}: RunAgentOptions): Promise<AgentAnswer> {
  const messages: Anthropic.MessageParam[] = [...history, { role: 'user', content: question }];
  const transcript = () => messages.slice(history.length);
  const toolCalls: ToolCallRecord[] = [];
  const usage = noUsage();
  let lastText = '';
  const timings = { modelMs: 0, toolsMs: 0 };
  // The system prompt and the tool list are the same on every turn and for every question: marking the end
  // of each cacheable lets the API reuse them (cache reads cost a tenth of input tokens).
  const cachedSystem: Anthropic.TextBlockParam[] = [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }];
  const cachedTools = markLastCacheable(toolbox.tools);
  for (let step = 1; ; step += 1) {
    signal?.throwIfAborted();
    const modelStarted = performance.now();
    const response = await createMessage(
      anthropic,
      { model, system: cachedSystem, max_tokens: maxTokens, tools: cachedTools, messages },
      signal,
    );
    const durationMs = performance.now() - modelStarted;
    timings.modelMs += durationMs;
    const callUsage = noUsage();
    addUsage(callUsage, response.usage);
    addUsage(usage, response.usage);
    const call: ModelCall = { step, model, usage: callUsage, durationMs, stopReason: response.stop_reason };
    for (const hook of onStepFinish) await hook(call);
    messages.push({ role: 'assistant', content: response.content });
    const text = response.content
      .flatMap((b) => (b.type === 'text' ? [b.text] : []))
      .join('\n')
      .trim();
    if (text !== '') lastText = text;
    const toolUses = response.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (toolUses.length === 0 || response.stop_reason !== 'tool_use') {
      const outcome = response.stop_reason === 'max_tokens' ? 'max_tokens' : 'end_turn';
      return { text: text === '' ? lastText : text, outcome, steps: step, toolCalls, usage, timings, transcript: transcript() };
    }
    const stop = firstStop(stopWhen, { step, usage });
    if (stop !== undefined) return { text: lastText, outcome: stop, steps: step, toolCalls, usage, timings, transcript: transcript() };
    await onProgress?.({ step, running: toolUses.map(({ name, input }) => ({ name, input })), done: [...toolCalls] });
    const toolsStarted = performance.now();
    const results = await Promise.all(
      toolUses.map((use) => callToolWithTimeout({ toolbox, name: use.name, input: use.input, signal, timeoutMs: toolTimeoutMs })),
    );
    timings.toolsMs += performance.now() - toolsStarted;
    signal?.throwIfAborted();
    const content: Anthropic.ToolResultBlockParam[] = toolUses.map((use, i) => {
      const result: ToolOutcome = results[i] ?? { text: '(no result)', isError: true };
      toolCalls.push({
        name: use.name,
        input: use.input,
        isError: result.isError,
        ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
      });
      return { type: 'tool_result', tool_use_id: use.id, content: result.text, ...(result.isError ? { is_error: true } : {}) };
    });
    messages.push({ role: 'user', content });
  }
}

function firstStop(conditions: readonly StopCondition[], state: Parameters<StopCondition>[0]): StopOutcome | undefined {
  for (const condition of conditions) {
    const outcome = condition(state);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

async function createMessage(
  anthropic: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
  signal: AbortSignal | undefined,
): Promise<Anthropic.Message> {
  try {
    return await anthropic.messages.create(params, { signal });
  } catch (error) {
    if (error instanceof Anthropic.APIUserAbortError) throw error;
    if (error instanceof Anthropic.APIConnectionError) throw new ModelUnavailableError(undefined, error);
    if (error instanceof Anthropic.APIError) {
      const raw: unknown = error.status;
      const status = typeof raw === 'number' ? raw : undefined;
      if (status === 429 || status === 529 || (status !== undefined && status >= 500)) throw new ModelUnavailableError(status, error);
      throw new ModelRejectedError(status, error);
    }
    throw error;
  }
}

/** A cache breakpoint on the last tool caches the whole tool list (tools come before the system prompt). */
function markLastCacheable(tools: Anthropic.Tool[]): Anthropic.Tool[] {
  return tools.map((tool, i) => (i === tools.length - 1 ? { ...tool, cache_control: { type: 'ephemeral' } } : tool));
}

export const noUsage = (): AgentUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

function addUsage(total: AgentUsage, usage: Anthropic.Usage): void {
  total.inputTokens += usage.input_tokens;
  total.outputTokens += usage.output_tokens;
  total.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
  total.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
}
