import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Logger } from '../log/create-logger.ts';
import { allPrompts } from './prompts/index.ts';
import { allResources, type ResourceDefinition } from './resources/index.ts';
import { runTool } from './run-tool.ts';
import type { ToolContext, ToolDefinition } from './tool-definition.ts';

export interface RegisterPromptsAndResourcesOptions {
  server: McpServer;
  /** The tools as this server runs them (scoped to the caller's cluster client); resources read through them. */
  tools: ReadonlyMap<string, ToolDefinition>;
  context: Omit<ToolContext, 'signal'>;
  logger?: Logger | undefined;
}

/**
 * Offers the prompts and resources beside the tools. A resource's content is the results of read-only tools,
 * run exactly as a tool call is (identity, policy, redaction, fencing, output budget), so reading a resource can
 * show nothing a tool call could not; a resource whose tools are all withheld from this server is not offered.
 */
export function registerPromptsAndResources({ server, tools, context, logger }: RegisterPromptsAndResourcesOptions): void {
  for (const prompt of allPrompts()) {
    server.registerPrompt(prompt.name, { title: prompt.title, description: prompt.description, argsSchema: prompt.argsSchema }, (args) => ({
      description: prompt.description,
      messages: [{ role: 'user', content: { type: 'text', text: prompt.text(args as never) } }],
    }));
  }
  for (const resource of allResources()) {
    const offered = (variables: Record<string, string>) =>
      resource.parts(variables).filter((part) => tools.get(part.tool)?.annotations.readOnlyHint === true);
    if (offered({}).length === 0) continue;
    const metadata = { title: resource.title, description: resource.description, mimeType: 'text/markdown' };
    const read = (uri: URL, variables: Record<string, string>, signal: AbortSignal) =>
      readResource({ resource, uri, variables, parts: offered(variables), tools, context: { ...context, signal }, logger });
    if (resource.uri.includes('{')) {
      server.registerResource(resource.name, new ResourceTemplate(resource.uri, { list: undefined }), metadata, (uri, variables, extra) =>
        read(uri, flatten(variables), extra.signal),
      );
    } else {
      server.registerResource(resource.name, resource.uri, metadata, (uri, extra) => read(uri, {}, extra.signal));
    }
  }
}

interface ReadResourceOptions {
  resource: ResourceDefinition;
  uri: URL;
  variables: Record<string, string>;
  parts: { tool: string; args: Record<string, unknown> }[];
  tools: ReadonlyMap<string, ToolDefinition>;
  context: ToolContext;
  logger: Logger | undefined;
}

async function readResource({ resource, uri, parts, tools, context, logger }: ReadResourceOptions): Promise<ReadResourceResult> {
  const sections = await Promise.all(
    parts.map(async ({ tool: name, args }) => {
      const tool = tools.get(name);
      if (tool === undefined) return '';
      const parsed = z.object(tool.inputSchema).safeParse(args);
      if (!parsed.success)
        return `## ${tool.title}\n\n(invalid arguments for ${name}: ${parsed.error.issues.map((issue) => issue.message).join('; ')})`;
      const result = await runTool({ tool, args: parsed.data, context, logger });
      const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
      return `## ${tool.title}${result.isError === true ? ' (failed)' : ''}\n\n${text}`;
    }),
  );
  return {
    contents: [
      { uri: uri.href, mimeType: 'text/markdown', text: [`# ${resource.title}`, ...sections.filter((s) => s !== '')].join('\n\n') },
    ],
  };
}

function flatten(variables: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, Array.isArray(value) ? (value[0] ?? '') : value]));
}
