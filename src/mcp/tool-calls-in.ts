/** One `tools/call` request found in a JSON-RPC body. */
export interface ToolCallRequest {
  id: string | number | null;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * The `tools/call` requests of a JSON-RPC body (one message or a batch) naming one of `names`. Read before the MCP
 * SDK sees the body, for calls a caller must be refused (and audited) rather than told "no such tool".
 */
export function toolCallsIn(body: unknown, names: ReadonlySet<string>): ToolCallRequest[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    if (typeof message !== 'object' || message === null) return [];
    const { method, params, id } = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown }; id?: unknown };
    if (method !== 'tools/call' || typeof params?.name !== 'string' || !names.has(params.name)) return [];
    const args = params.arguments;
    return [
      {
        id: typeof id === 'string' || typeof id === 'number' ? id : null,
        name: params.name,
        arguments: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
      },
    ];
  });
}
