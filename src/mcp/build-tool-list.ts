import { ConfigError } from '../config/errors.ts';
import { ToolListError } from './errors.ts';
import type { ToolDefinition } from './tool-definition.ts';

export interface BuildToolListOptions {
  tools: readonly ToolDefinition[];
  /** Keep only tools whose annotations say readOnlyHint: true (write tools disabled). */
  readOnly: boolean;
  /** When given, only these tools (MCP_ALLOWED_TOOLS; each must exist). */
  allowed?: readonly string[] | undefined;
  /** Never these tools (MCP_DENIED_TOOLS; each must exist). */
  denied?: readonly string[] | undefined;
}

const TOOL_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * The tools the server offers. Policy comes from the annotations (read-only mode keeps readOnlyHint
 * tools only) plus the allow/deny lists. A duplicate or malformed name is a programming mistake
 * (ToolListError); an unknown or contradictory name in the lists is a configuration mistake
 * (ConfigError naming the variable). Both fail at start-up rather than at the first call.
 */
export function buildToolList({ tools, readOnly, allowed, denied = [] }: BuildToolListOptions): ToolDefinition[] {
  const byName = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new ToolListError(`tool name "${tool.name}" is defined twice`);
    if (!TOOL_NAME.test(tool.name)) throw new ToolListError(`tool name "${tool.name}" is not resource_verb snake_case`);
    byName.set(tool.name, tool);
  }
  const problems: string[] = [];
  for (const [variable, names] of [
    ['MCP_ALLOWED_TOOLS', allowed ?? []],
    ['MCP_DENIED_TOOLS', denied],
  ] as const) {
    const unknown = names.filter((name) => !byName.has(name));
    if (unknown.length > 0)
      problems.push(`${variable}: unknown tool name(s) ${unknown.join(', ')} (known: ${[...byName.keys()].join(', ')})`);
  }
  const both = (allowed ?? []).filter((name) => denied.includes(name));
  if (both.length > 0) problems.push(`MCP_DENIED_TOOLS: ${both.join(', ')} also in MCP_ALLOWED_TOOLS; name each tool in one list only`);
  const writes = readOnly ? (allowed ?? []).filter((name) => byName.get(name)?.annotations.readOnlyHint === false) : [];
  if (writes.length > 0) {
    problems.push(`MCP_ALLOWED_TOOLS: ${writes.join(', ')} change the cluster; set MCP_ENABLE_WRITE_TOOLS=true to offer write tools`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return tools.filter(
    (tool) =>
      (!readOnly || tool.annotations.readOnlyHint) && (allowed === undefined || allowed.includes(tool.name)) && !denied.includes(tool.name),
  );
}
