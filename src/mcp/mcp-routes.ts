import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BodyTooLargeError, readBody, sendJson, type Routes } from '../http/start-http-server.ts';
import type { KubeClientPool } from '../kube/kube-client-pool.ts';
import type { Logger } from '../log/create-logger.ts';
import type { IdentityPolicy } from '../policy/policy-schema.ts';
import { resolveCallerIdentity, type CallerIdentity } from '../policy/resolve-caller-identity.ts';
import { bearerTokenMatches } from './bearer-token-matches.ts';
import { CALLER_USER_HEADER } from '../contract/caller-user-header.ts';
import { callerUser } from './caller-user-header.ts';
import { createMcpServer, type KubeClientChooser } from './create-mcp-server.ts';
import { ToolFailure } from './errors.ts';
import type { McpCaller } from './mcp-caller.ts';
import { hostAllowed } from '../http/host-allowed.ts';
import type { ToolDefinition } from './tool-definition.ts';
import { toolCallsIn } from './tool-calls-in.ts';
import { refusedCallResult, type WriteGuard } from './write-guard.ts';

export interface McpRoutesOptions {
  /** The bot's bearer token (config.MCP_TOKEN): every offered tool, writes as previews or with an approval grant. */
  token: string;
  /** Read-only bearer tokens (config.MCP_READ_TOKENS): read-only tools only, and no X-Ai4k8s-User. */
  readTokens?: readonly string[];
  tools: readonly ToolDefinition[];
  /** Checks every call of a write tool (approval grants, read tokens); see writeGuard. */
  guard?: WriteGuard | undefined;
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
 * state to share between replicas). Before anything MCP happens: the bearer token (the bot's, or a read
 * token), then the Host header (DNS-rebinding defence), then the caller's chat identity, which decides who
 * the cluster sees. A read token is offered the read-only tools only, and its calls of any other tool are
 * refused and audited here. GET and DELETE (SSE stream, session end) do not exist without sessions: 405.
 */
export function mcpRoutes({
  token,
  readTokens = [],
  guard,
  tools,
  clients,
  allowedHosts,
  identityPolicy,
  deniesKind,
  logger,
  maxBodyBytes = 1_048_576,
  outputTokens,
}: McpRoutesOptions): Routes {
  const readTools = tools.filter((tool) => tool.annotations.readOnlyHint);
  const writeNames = new Set(tools.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name));
  const tokenKind = (header: string | undefined): McpCaller['token'] | undefined => {
    if (bearerTokenMatches(header, token)) return 'bot';
    return readTokens.some((readToken) => bearerTokenMatches(header, readToken)) ? 'read' : undefined;
  };
  /**
   * A read token's calls of write tools (which its tools/list does not show): each is audited through the guard and
   * answered as a refused tool call, the way the bot's refused calls are. Returns whether it answered.
   */
  const refuseWriteCalls = async (res: ServerResponse, body: unknown, caller: McpCaller): Promise<boolean> => {
    const calls = toolCallsIn(body, writeNames);
    if (calls.length === 0) return false;
    const refusals = [];
    for (const call of calls) {
      const context = typeof call.arguments.context === 'string' ? call.arguments.context : clients.currentContext;
      const refusal = (await guard?.check({
        tool: call.name,
        readOnly: false,
        args: call.arguments,
        context,
        caller,
        grant: undefined,
      })) ?? {
        code: 'read_only_token',
        reason: `${call.name} changes the cluster, and this token (MCP_READ_TOKENS) may only read`,
      };
      refusals.push({ jsonrpc: '2.0', id: call.id, result: refusedCallResult(refusal) });
    }
    // One call is one answer; a batch mixing reads and refused writes is refused whole (the MCP SDK sends no batches).
    if (Array.isArray(body)) sendJson(res, 403, rpcError(-32003, 'Forbidden: this token (MCP_READ_TOKENS) may only call read-only tools'));
    else sendJson(res, 200, refusals[0]);
    return true;
  };
  const notAllowed = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, rpcError(-32000, 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp'));
  };
  return {
    'POST /mcp': async (req, res) => {
      const kind = tokenKind(req.headers.authorization);
      if (kind === undefined) {
        res.setHeader('www-authenticate', 'Bearer realm="ai4k8s-mcp"');
        sendJson(res, 401, rpcError(-32001, 'Unauthorized: send Authorization: Bearer <MCP_TOKEN> (or one of MCP_READ_TOKENS)'));
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
      if (kind === 'read' && caller.kind === 'named') {
        // The bot vouches for the chat user it names (it verified them); nobody vouches for an IDE's claim.
        sendJson(
          res,
          403,
          rpcError(
            -32003,
            `Forbidden: ${CALLER_USER_HEADER} is accepted only with MCP_TOKEN; a read token acts as the server's own read identity`,
          ),
        );
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
      const who: McpCaller = { token: kind, chatUser };
      if (kind === 'read' && (await refuseWriteCalls(res, body, who))) return;
      const identity = resolveCallerIdentity(identityPolicy, chatUser);
      logger.debug(
        { chatUser, token: kind, identity: identity.kind, as: identity.kind === 'impersonated' ? identity.as.user : undefined },
        'mcp request',
      );
      const server = createMcpServer({
        tools: kind === 'read' ? readTools : tools,
        caller: who,
        guard,
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
