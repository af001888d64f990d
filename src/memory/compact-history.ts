import type Anthropic from '@anthropic-ai/sdk';
import { estimateHistoryTokens } from './estimate-history-tokens.ts';

type Message = Anthropic.MessageParam;

export interface CompactHistoryOptions {
  messages: readonly Message[];
  /** Estimated tokens (characters / 4) the history should stay under. */
  tokenBudget: number;
  /** The most recent question-and-answer turns, kept word for word. */
  keepTurns?: number;
}

const NOTE_ARGS_CHARS = 200;

/**
 * Keeps a thread's history under a token budget. Older tool results (outside the last `keepTurns`
 * turns, then outside the last turn) are replaced, oldest first, by a note naming the tool and its
 * arguments; if that is not enough, the oldest turns are dropped whole (the last one always stays).
 * Every `tool_use` keeps its `tool_result`, so the history stays a valid Messages API conversation.
 */
export function compactHistory({ messages, tokenBudget, keepTurns = 2 }: CompactHistoryOptions): Message[] {
  const within = (history: readonly Message[]) => estimateHistoryTokens(history) <= tokenBudget;
  let compacted = [...messages];
  // Tool results go first (the answers that summarise them stay), the newest turns' last of all.
  for (const keep of [keepTurns, 1]) {
    const starts = turnStarts(compacted);
    const protectedFrom = starts[Math.max(0, starts.length - keep)] ?? 0;
    for (let i = 0; i < protectedFrom && !within(compacted); i += 1) {
      const message = compacted[i];
      if (message !== undefined && hasToolResults(message)) compacted[i] = omitToolResults(message, compacted[i - 1]);
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

function omitToolResults(message: Message, previous: Message | undefined): Message {
  if (typeof message.content === 'string') return message;
  const uses = new Map<string, Anthropic.ToolUseBlockParam>();
  if (previous !== undefined && typeof previous.content !== 'string') {
    for (const block of previous.content) if (block.type === 'tool_use') uses.set(block.id, block);
  }
  const content = message.content.map((block): Anthropic.ContentBlockParam => {
    if (block.type !== 'tool_result' || isOmitted(block)) return block;
    const use = uses.get(block.tool_use_id);
    const args = JSON.stringify(use?.input ?? {});
    const shortArgs = args.length > NOTE_ARGS_CHARS ? `${args.slice(0, NOTE_ARGS_CHARS)}…` : args;
    return { type: 'tool_result', tool_use_id: block.tool_use_id, content: `[earlier tool result omitted: ${use?.name ?? 'tool'} ${shortArgs}]` };
  });
  return { role: 'user', content };
}

function isOmitted(block: Anthropic.ToolResultBlockParam): boolean {
  return typeof block.content === 'string' && block.content.startsWith('[earlier tool result omitted:');
}
