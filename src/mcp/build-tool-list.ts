import { ToolListError } from './errors.ts';
import type { ToolDefinition } from './tool-definition.ts';

export interface BuildToolListOptions {
  tools: readonly ToolDefinition[];
  /** Keep only tools whose annotations say readOnlyHint: true. */
  readOnly: boolean;
  /** When given, only these tools (each must exist). */
  enabled?: readonly string[];
}

const TOOL_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * The tools the server offers. A duplicate, malformed or unknown name is a programming or configuration
 * mistake, so it fails at start-up rather than at the first call. Policy comes from the annotations.
 */
export function buildToolList({ tools, readOnly, enabled }: BuildToolListOptions): ToolDefinition[] {
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) throw new ToolListError(`tool name "${tool.name}" is defined twice`);
    if (!TOOL_NAME.test(tool.name)) throw new ToolListError(`tool name "${tool.name}" is not resource_verb snake_case`);
    seen.add(tool.name);
  }
  const unknown = (enabled ?? []).filter((name) => !seen.has(name));
  if (unknown.length > 0) {
    throw new ToolListError(`unknown tool name(s): ${unknown.join(', ')} (known: ${[...seen].join(', ')})`);
  }
  return tools.filter(
    (tool) => (!readOnly || tool.annotations.readOnlyHint) && (enabled === undefined || enabled.includes(tool.name)),
  );
}
