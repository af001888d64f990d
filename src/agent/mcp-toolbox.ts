import type Anthropic from '@anthropic-ai/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CALLER_USER_HEADER } from '../contract/caller-user-header.ts';
import { toolErrorContent } from '../contract/tool-error.ts';
import type { Toolbox, ToolHints } from '../contract/toolbox.ts';
import { ToolServerUnavailableError } from './errors.ts';

export interface ConnectMcpToolboxOptions {
  url: string;
  token: string;
  /** Per tool call, so one stuck call cannot hold a conversation forever. */
  callTimeoutMs?: number;
  /** Sent as `X-Ai4k8s-User` on every request, so the MCP server acts as this chat user's Kubernetes identity. */
  chatUser?: string | undefined;
}

/** Connects to the MCP server over Streamable HTTP with the bearer token and lists its tools. */
export async function connectMcpToolbox({ url, token, callTimeoutMs = 60_000, chatUser }: ConnectMcpToolboxOptions): Promise<Toolbox> {
  const client = new Client({ name: 'ai4k8s-worker', version: '0.1.0' });
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (chatUser !== undefined) headers[CALLER_USER_HEADER] = chatUser;
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  let listed;
  try {
    await client.connect(transport);
    listed = await client.listTools();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new ToolServerUnavailableError(url, describeConnectError(error), error);
  }
  const tools: Anthropic.Tool[] = listed.tools.map((tool) => ({
    name: tool.name,
    description: [tool.title, tool.description].filter(Boolean).join(': '),
    input_schema: tool.inputSchema,
  }));
  const hints = new Map<string, ToolHints>(
    listed.tools.map((tool) => [
      tool.name,
      { readOnlyHint: tool.annotations?.readOnlyHint, destructiveHint: tool.annotations?.destructiveHint },
    ]),
  );
  return {
    tools,
    hints,
    call: async (name, input, signal, options) => {
      try {
        const result = await client.callTool(
          { name, arguments: (input ?? {}) as Record<string, unknown>, ...(options?.meta === undefined ? {} : { _meta: options.meta }) },
          undefined,
          { signal, timeout: callTimeoutMs },
        );
        const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
        const text = content.map(blockText).join('\n');
        // An error's code may travel in _meta (tools with an outputSchema): read as structuredContent either way.
        const structured = result.isError === true ? toolErrorContent(result) : result.structuredContent;
        return {
          text: text === '' ? '(no output)' : text,
          isError: result.isError === true,
          ...(structured === undefined || structured === null ? {} : { structuredContent: structured as Record<string, unknown> }),
        };
      } catch (error) {
        // The model gets a clear, actionable result instead of the loop dying.
        return { text: `The tool server did not complete ${name}: ${describeConnectError(error)}.`, isError: true, transportFailed: true };
      }
    },
    close: () => client.close(),
  };
}

function blockText(block: unknown): string {
  const { type, text } = (block ?? {}) as { type?: unknown; text?: unknown };
  if (type === 'text' && typeof text === 'string') return text;
  return `[${String(type)} content]`;
}

function describeConnectError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  if (/401|unauthori[sz]ed/i.test(message)) return 'it refused our token (check MCP_TOKEN)';
  if (/ECONNREFUSED|fetch failed|ENOTFOUND|EHOSTUNREACH/i.test(`${message} ${cause}`)) return 'connection refused';
  if (/timed? ?out/i.test(message)) return 'it timed out';
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
