import Anthropic from '@anthropic-ai/sdk';
import { ModelRejectedError, ModelUnavailableError } from './errors.ts';
import type { Toolbox, ToolOutcome } from './mcp-toolbox.ts';

export interface ToolCallRecord {
  name: string;
  input: unknown;
  isError: boolean;
  /** The tool's structured result (never sent to the model), for what the worker adds to the answer: graphs, links. */
  structuredContent?: Record<string, unknown>;
}

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface AgentAnswer {
  text: string;
  /**
   * `end_turn`: the model finished; `step_limit`: stopped after maxSteps turns; `token_budget`: stopped because
   * the answer's input + output tokens passed `maxAnswerTokens`; `max_tokens`: cut off.
   */
  outcome: 'end_turn' | 'step_limit' | 'token_budget' | 'max_tokens';
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
  maxSteps: number;
  /** Input + output tokens summed over the loop past which no further model call is made (unlimited if absent). */
  maxAnswerTokens?: number;
  /** max_tokens of each model call. */
  maxTokens?: number;
  onProgress?: (progress: AgentProgress) => void | Promise<void>;
  /**
   * Awaited right after each model response, before its tools run: that call's usage, so every token is charged
   * and audited even when the loop later fails, is aborted or its worker dies.
   */
  onModelCall?: (call: ModelCall) => Promise<void>;
  /** Aborts the model call or tool calls in flight and stops the loop (the job's signal: shutdown, lock lost). */
  signal?: AbortSignal;
}

/** One model call of the loop, as `onModelCall` reports it. */
export interface ModelCall {
  step: number;
  model: string;
  usage: AgentUsage;
  durationMs: number;
  stopReason: string | null;
}

/**
 * The Claude tool loop: ask, run every tool_use of the turn concurrently, return all results in one user
 * message, repeat until the model ends its turn or the step or token limit is reached. Either limit stops
 * before the tools of the last turn run, as their results would reach no model.
 */
export async function runAgent({
  anthropic,
  model,
  system,
  question,
  history = [],
  toolbox,
  maxSteps,
  maxAnswerTokens = Number.POSITIVE_INFINITY,
  maxTokens = 4096,
  onProgress,
  onModelCall,
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
  for (let step = 1; step <= maxSteps; step += 1) {
    signal?.throwIfAborted();
    const modelStarted = performance.now();
    const response = await createMessage(anthropic, { model, system: cachedSystem, max_tokens: maxTokens, tools: cachedTools, messages }, signal);
    const durationMs = performance.now() - modelStarted;
    timings.modelMs += durationMs;
    const callUsage = noUsage();
    addUsage(callUsage, response.usage);
    addUsage(usage, response.usage);
    await onModelCall?.({ step, model, usage: callUsage, durationMs, stopReason: response.stop_reason });
    messages.push({ role: 'assistant', content: response.content });
    const text = response.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n').trim();
    if (text !== '') lastText = text;
    const toolUses = response.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (toolUses.length === 0 || response.stop_reason !== 'tool_use') {
      const outcome = response.stop_reason === 'max_tokens' ? 'max_tokens' : 'end_turn';
      return { text: text === '' ? lastText : text, outcome, steps: step, toolCalls, usage, timings, transcript: transcript() };
    }
    if (step === maxSteps) break;
    if (usage.inputTokens + usage.outputTokens > maxAnswerTokens) {
      return { text: lastText, outcome: 'token_budget', steps: step, toolCalls, usage, timings, transcript: transcript() };
    }
    await onProgress?.({ step, running: toolUses.map(({ name, input }) => ({ name, input })), done: [...toolCalls] });
    const toolsStarted = performance.now();
    const results = await Promise.all(toolUses.map((use) => toolbox.call(use.name, use.input, signal)));
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
  return { text: lastText, outcome: 'step_limit', steps: maxSteps, toolCalls, usage, timings, transcript: transcript() };
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
