import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.ContentBlockParam;

/**
 * Makes one answered turn safe to replay as history: a turn cut short (step limit, max_tokens) can end
 * on an assistant `tool_use` that never got its `tool_result`, which the Messages API refuses in a later
 * request. Such blocks are dropped (named in a short note instead), as are empty text blocks.
 */
export function settleTurn(messages: readonly Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const settled = [...messages];
  const last = settled[settled.length - 1];
  if (last === undefined || last.role !== 'assistant') return settled;
  const blocks: Block[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  const unanswered = blocks.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
  const kept = blocks.filter((b) => b.type !== 'tool_use' && !(b.type === 'text' && b.text.trim() === ''));
  if (unanswered.length > 0) kept.push({ type: 'text', text: `(stopped before running: ${unanswered.map((b) => b.name).join(', ')})` });
  if (kept.length === 0) kept.push({ type: 'text', text: '(no answer)' });
  settled[settled.length - 1] = { role: 'assistant', content: kept };
  return settled;
}
