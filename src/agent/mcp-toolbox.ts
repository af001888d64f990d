import type Anthropic from '@anthropic-ai/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CALLER_USER_HEADER } from '../contract/caller-user-header.ts';
import { toolErrorContent } from '../contract/tool-error.ts';
import { ToolServerUnavailableError } from './errors.ts';

export interface ToolOutcome {
  text: string;
  isError: boolean;
  /** The call never completed (the MCP server went away): a shared connection should be renewed. */
  transportFailed?: boolean;
  /** The tool's structured result, for the worker (graphs, links); the model sees only `text`. */
  structuredContent?: Record<string, unknown>;
}

/** A tool's MCP annotations that matter to the worker; an absent readOnlyHint means the tool may change something. */
export interface ToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/** Per-call extras that are not tool arguments (the model never sees or supplies them). */
export interface ToolCallOptions {
  /** Sent as the tools/call request's `_meta`, e.g. an approved write's grant (APPROVAL_GRANT_META_KEY). */
  meta?: Record<string, unknown>;
}

/** The tools the model may call, and how to call them. */
export interface Toolbox {
  tools: Anthropic.Tool[];
  /** Each tool's annotations from `tools/list`, by name (kept beside `tools`: the model API takes no annotations). */
  hints?: ReadonlyMap<string, ToolHints>;
  call(name: string, input: unknown, signal?: AbortSignal, options?: ToolCallOptions): Promise<ToolOutcome>;
  close(): Promise<void>;
}

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
