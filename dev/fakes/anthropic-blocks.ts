import { randomBytes } from 'node:crypto';

/**
 * Content blocks as the Messages API returns them (the documented shape), and builders for scripts:
 * `text('…')` and `toolUse('pods_list', { namespace: 'prod' })` with a real-looking `toolu_01…` id.
 */
export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export type ContentBlock = TextBlock | ToolUseBlock;

export function text(value: string): TextBlock {
  return { type: 'text', text: value };
}

export function toolUse(name: string, input: Record<string, unknown> = {}, id: string = anthropicId('toolu_01')): ToolUseBlock {
  return { type: 'tool_use', id, name, input };
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` followed by 22 base62 characters, like `msg_01…`, `toolu_01…`, `req_01…`. */
export function anthropicId(prefix: string): string {
  const bytes = randomBytes(22);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length] ?? 'A';
  return id;
}
