import type Anthropic from '@anthropic-ai/sdk';
import { estimateHistoryTokens } from './estimate-history-tokens.ts';
import { SUMMARY_PREFIX, summarizeToolResult } from './summarize-tool-result.ts';

type Message = Anthropic.MessageParam;

export interface CompactHistoryOptions {
  messages: readonly Message[];
  /** Estimated tokens (characters / 4) the history should stay under. */
  tokenBudget: number;
  /** The most recent question-and-answer turns, kept word for word. */
  keepTurns?: number;
}

const NOTE_ARGS_CHARS = 200;
const NOTE_PREFIX = '[earlier tool result omitted:';

type Shrink = (block: Anthropic.ToolResultBlockParam, use: Anthropic.ToolUseBlockParam | undefined) => Anthropic.ToolResultBlockParam;

/**
 * Keeps a thread's history under a token budget, oldest first and the newest turns last of all:
 * 1. older tool results (outside the last `keepTurns` turns, then outside the last turn) become an extractive
 *    summary — the call, its status, first lines and noteworthy lines — so a follow-up keeps the gist;
 * 2. if that is not enough, those summaries become a one-line note naming the tool and its arguments;
 * 3. if still over, the oldest turns are dropped whole (the last one always stays).
 * Every `tool_use` keeps its `tool_result` (and `is_error`), so the history stays a valid Messages API conversation.
 */
export function compactHistory({ messages, tokenBudget, keepTurns = 2 }: CompactHistoryOptions): Message[] {
  const within = (history: readonly Message[]) => estimateHistoryTokens(history) <= tokenBudget;
  let compacted = [...messages];
  for (const shrink of [summarise, note]) {
    for (const keep of [keepTurns, 1]) {
      const starts = turnStarts(compacted);
      const protectedFrom = starts[Math.max(0, starts.length - keep)] ?? 0;
      for (let i = 0; i < protectedFrom && !within(compacted); i += 1) {
        const message = compacted[i];
        if (message !== undefined && hasToolResults(message)) compacted[i] = shrinkToolResults(message, compacted[i - 1], shrink);
      }
    }
  }
  // Still over: drop whole turns from the front, so the history still starts with a question.
  while (!within(compacted)) {
    const next = turnStarts(compacted)[1];
    if (next === undefined) break;
    compacted = compacted.slice(next);
  }
  return compacted;
}

/** Indices of the user questions (a user message with plain text, not tool results). */
function turnStarts(messages: readonly Message[]): number[] {
  return messages.flatMap((m, i) => (m.role === 'user' && !hasToolResults(m) ? [i] : []));
}

function hasToolResults(message: Message): boolean {
  return typeof message.content !== 'string' && message.content.some((b) => b.type === 'tool_result');
}

function shrinkToolResults(message: Message, previous: Message | undefined, shrink: Shrink): Message {
  if (typeof message.content === 'string') return message;
  const uses = new Map<string, Anthropic.ToolUseBlockParam>();
  if (previous !== undefined && typeof previous.content !== 'string') {
    for (const block of previous.content) if (block.type === 'tool_use') uses.set(block.id, block);
  }
  const content = message.content.map((block): Anthropic.ContentBlockParam =>
    block.type === 'tool_result' ? shrink(block, uses.get(block.tool_use_id)) : block,
  );
  return { role: 'user', content };
}

/** Step 1: an extractive summary, unless the result is already one (or a note), or is no longer than its summary. */
const summarise: Shrink = (block, use) => {
  const text = resultText(block);
  if (text.startsWith(SUMMARY_PREFIX) || text.startsWith(NOTE_PREFIX)) return block;
  const summary = summarizeToolResult({ tool: use?.name ?? 'tool', input: use?.input ?? {}, text, isError: block.is_error === true });
  return summary.length < text.length ? withContent(block, summary) : block;
};

/** Step 2: a one-line note naming the call. */
const note: Shrink = (block, use) => {
  if (resultText(block).startsWith(NOTE_PREFIX)) return block;
  const args = JSON.stringify(use?.input ?? {});
  const shortArgs = args.length > NOTE_ARGS_CHARS ? `${args.slice(0, NOTE_ARGS_CHARS)}…` : args;
  return withContent(block, `${NOTE_PREFIX} ${use?.name ?? 'tool'} ${shortArgs}]`);
};

function withContent(block: Anthropic.ToolResultBlockParam, content: string): Anthropic.ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: block.tool_use_id, content, ...(block.is_error === true ? { is_error: true } : {}) };
}

function resultText(block: Anthropic.ToolResultBlockParam): string {
  if (block.content === undefined) return '';
  if (typeof block.content === 'string') return block.content;
  return block.content.map((b) => (b.type === 'text' ? b.text : `[${b.type} content]`)).join('\n');
}
