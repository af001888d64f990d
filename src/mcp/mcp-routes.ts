import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BodyTooLargeError, readBody, sendJson, type Routes } from '../http/start-http-server.ts';
import type { KubeClientPool } from '../kube/kube-client-pool.ts';
import type { Logger } from '../log/create-logger.ts';
import type { IdentityPolicy } from '../policy/load-identity-policy.ts';
import { resolveCallerIdentity, type CallerIdentity } from '../policy/resolve-caller-identity.ts';
import { bearerTokenMatches } from './bearer-token-matches.ts';
import { CALLER_USER_HEADER, callerUser } from './caller-user-header.ts';
import { createMcpServer, type KubeClientChooser } from './create-mcp-server.ts';
import { ToolFailure } from './errors.ts';
import { hostAllowed } from '../http/host-allowed.ts';
import type { ToolDefinition } from './tool-definition.ts';

export interface McpRoutesOptions {
  /** The bearer token clients must present (config.MCP_TOKEN). */
  token: string;
  tools: readonly ToolDefinition[];
  /** Cluster clients per kubeconfig context and impersonated identity. */
  clients: KubeClientPool;
  /** Host header values /mcp answers (see allowedHosts). */
  allowedHosts: ReadonlySet<string>;
  /** Chat user → Kubernetes identity (AI4K8S_POLICY); without it every call uses the server's own identity. */
  identityPolicy?: IdentityPolicy | undefined;
  /** MCP_DENIED_KINDS as a predicate. */
  deniesKind?: (kind: string) => boolean;
  logger: Logger;
  /** Largest JSON-RPC request accepted; tool arguments are small. */
  maxBodyBytes?: number;
  /** Most tokens per tool result (MCP_OUTPUT_TOKENS); runTool's default when absent. */
  outputTokens?: number | undefined;
}

/** JSON-RPC error body, as the Streamable HTTP transport answers when there is no request id. */
const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * POST /mcp: Streamable HTTP in stateless mode, a fresh server and transport per request (no session
 * state to share between replicas). Before anything MCP happens: the bearer token, then the Host header
 * (DNS-rebinding defence), then the caller's chat identity, which decides who the cluster sees.
 * GET and DELETE (SSE stream, session end) do not exist without sessions: 405.
 */
export function mcpRoutes({
  token,
  tools,
  clients,
  allowedHosts,
  identityPolicy,
  deniesKind,
  logger,
  maxBodyBytes = 1_048_576,
  outputTokens,
}: McpRoutesOptions): Routes {
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
      if (!hostAllowed(req.headers.host, allowedHosts)) {
        logger.warn({ host: req.headers.host }, 'mcp request refused: Host not allowed');
        sendJson(res, 403, rpcError(-32003, 'Forbidden: this Host is not served; add it to MCP_ALLOWED_HOSTS if it is yours'));
        return;
      }
      const caller = callerUser(req.headers);
      if (caller.kind === 'invalid') {
        sendJson(res, 400, rpcError(-32600, `Bad ${CALLER_USER_HEADER} header: expected one chat user id like slack:T0123:U0456`));
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
      const chatUser = caller.kind === 'named' ? caller.chatUser : undefined;
      const identity = resolveCallerIdentity(identityPolicy, chatUser);
      logger.debug({ chatUser, identity: identity.kind, as: identity.kind === 'impersonated' ? identity.as.user : undefined }, 'mcp request');
      const server = createMcpServer({
        tools,
        context: {
          kube: clients.client(),
          ...(deniesKind === undefined ? {} : { deniesKind }),
          ...(outputTokens === undefined ? {} : { outputTokens }),
        },
        clients: chooserFor(clients, identity),
        logger,
      });
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

/** The per-call client choice for one caller: impersonating them, with the server's identity, or refusing. */
function chooserFor(clients: KubeClientPool, identity: CallerIdentity): KubeClientChooser {
  return {
    contexts: clients.contexts,
    currentContext: clients.currentContext,
    clientFor: (context) => {
      if (identity.kind === 'refused') throw new ToolFailure(identity.reason, { code: 'tool_refused' });
      return clients.client({ context, impersonate: identity.kind === 'impersonated' ? identity.as : undefined });
    },
  };
}
