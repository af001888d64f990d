/**
 * The request checks the real Messages API makes and that a tool loop can get wrong, with its wording:
 * required fields, alternating roles, `tool_result` pairing with the previous turn's `tool_use` ids, tool
 * results first in their message, valid tool definitions. Returns the first problem, as the API does.
 */
export interface RequestCheckOptions {
  /** The request must offer tools (the fake's `requireTools`). */
  requireTools: boolean;
}

type Json = Record<string, unknown>;

export function checkMessagesRequest(body: Json, options: RequestCheckOptions): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    return 'max_tokens: Input should be a valid integer greater than or equal to 1';
  }
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  const messages: unknown[] = body.messages;
  if (messages.length === 0) return 'messages: at least one message is required';
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    return 'system: Input should be a valid string or a list of text blocks';
  }

  const toolProblem = checkTools(body.tools, options);
  if (toolProblem !== undefined) return toolProblem;
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;

  let previousToolUseIds: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
    const expected = index % 2 === 0 ? 'user' : 'assistant';
    if (index === 0 && message.role !== 'user') return 'messages: first message must use the "user" role';
    if (message.role !== expected) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`;
    }
    const blocks = contentBlocks(message.content);
    if (blocks === undefined) return `messages.${index}.content: Input should be a valid string or a list of content blocks`;
    if (blocks.length === 0 && index < messages.length - 1)
      return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`;
    for (const [at, block] of blocks.entries()) {
      if (typeof block.type !== 'string') return `messages.${index}.content.${at}.type: Field required`;
    }
    const usesTools = blocks.some((b) => b.type === 'tool_use' || b.type === 'tool_result');
    if (usesTools && !hasTools) return 'Requests which include `tool_use` or `tool_result` blocks must define tools.';

    if (message.role === 'user') {
      const problem = checkToolResults(index, blocks, previousToolUseIds);
      if (problem !== undefined) return problem;
      previousToolUseIds = [];
    } else {
      const missing = previousToolUseIds;
      if (missing.length > 0) return missingResults(index - 1, missing);
      previousToolUseIds = blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
    }
  }
  // A conversation ending on an assistant tool_use turn has no results after it either.
  if (previousToolUseIds.length > 0) return missingResults(messages.length - 1, previousToolUseIds);
  return undefined;
}

function checkToolResults(index: number, blocks: Json[], toolUseIds: string[]): string | undefined {
  const results = blocks.map((block, at) => ({ block, at })).filter(({ block }) => block.type === 'tool_result');
  for (const { block, at } of results) {
    if (!toolUseIds.includes(String(block.tool_use_id))) {
      return `messages.${index}.content.${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  const answered = new Set(results.map(({ block }) => String(block.tool_use_id)));
  const missing = toolUseIds.filter((id) => !answered.has(id));
  if (missing.length > 0) return missingResults(index - 1, missing);
  const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
  const lastResult = results.at(-1)?.at ?? -1;
  if (firstOther !== -1 && firstOther < lastResult) {
    return `messages.${index}: \`tool_result\` blocks must come first in the content, before any other content.`;
  }
  return undefined;
}

function missingResults(assistantIndex: number, ids: string[]): string {
  return `messages.${assistantIndex}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
}

function checkTools(tools: unknown, options: RequestCheckOptions): string | undefined {
  if (tools !== undefined && !Array.isArray(tools)) return 'tools: Input should be a valid list';
  const list: unknown[] = Array.isArray(tools) ? tools : [];
  const names = new Set<string>();
  for (const [index, tool] of list.entries()) {
    if (!isRecord(tool)) return `tools.${index}: Input should be a valid dictionary`;
    if (typeof tool.type === 'string' && tool.type !== 'custom') continue; // server tools: not checked here
    if (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
      return `tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    }
    if (!isRecord(tool.input_schema)) return `tools.${index}.custom.input_schema: Field required`;
    if (tool.input_schema.type !== 'object') return `tools.${index}.custom.input_schema.type: Input should be 'object'`;
    if (names.has(tool.name)) return 'tools: Tool names must be unique.';
    names.add(tool.name);
  }
  // The fake's own rule (a real model just answers without tools); the message says so.
  if (options.requireTools && list.length === 0) {
    return 'tools: the fake Anthropic API requires every request to offer tools (requireTools), but this one has none';
  }
  return undefined;
}

function contentBlocks(content: unknown): Json[] | undefined {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content) || !content.every(isRecord)) return undefined;
  return content;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
