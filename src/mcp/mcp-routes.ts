import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BodyTooLargeError, readBody, sendJson, type Routes } from '../http/start-http-server.ts';
import type { KubeClient } from '../kube/create-kube-client.ts';
import type { Logger } from '../log/create-logger.ts';
import { bearerTokenMatches } from './bearer-token-matches.ts';
import { createMcpServer } from './create-mcp-server.ts';
import type { ToolDefinition } from './tool-definition.ts';

export interface McpRoutesOptions {
  /** The bearer token clients must present (config.MCP_TOKEN). */
  token: string;
  tools: readonly ToolDefinition[];
  kube: KubeClient;
  logger: Logger;
  /** Largest JSON-RPC request accepted; tool arguments are small. */
  maxBodyBytes?: number;
}

/** JSON-RPC error body, as the Streamable HTTP transport answers when there is no request id. */
const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * POST /mcp: Streamable HTTP in stateless mode, a fresh server and transport per request (no session
 * state to share between replicas). The bearer token is checked before anything MCP happens.
 * GET and DELETE (SSE stream, session end) do not exist without sessions: 405.
 */
export function mcpRoutes({ token, tools, kube, logger, maxBodyBytes = 1_048_576 }: McpRoutesOptions): Routes {
  const notAllowed = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, rpcError(-32000, 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp'));
  };
  return {
    'POST /mcp': async (req, res) => {
      if (!bearerTokenMatches(req.headers.authorization, token)) {
        res.setHeader('www-authenticate', 'Bearer realm="ai4k8s-mcp"');
        sendJson(res, 401, rpcError(-32001, 'Unauthorized: send Authorization: Bearer <MCP_TOKEN>'));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, maxBodyBytes)).toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          // The rest of the body is still arriving: close the connection rather than reuse a dirty socket.
          res.setHeader('connection', 'close');
          sendJson(res, 413, rpcError(-32600, `Request body exceeds ${maxBodyBytes} bytes`));
          return;
        }
        if (error instanceof SyntaxError) {
          sendJson(res, 400, rpcError(-32700, 'Parse error: the body is not JSON'));
          return;
        }
        throw error;
      }
      const server = createMcpServer({ tools, context: { kube }, logger });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.once('close', () => {
        void transport.close().catch(() => undefined);
        void server.close().catch(() => undefined);
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    },
    'GET /mcp': notAllowed,
    'DELETE /mcp': notAllowed,
  };
}
