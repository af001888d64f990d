import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../../src/config/schema.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { startMcp } from '../../src/roles/start-mcp.ts';
import type { RunningRole } from '../../src/roles/running-role.ts';

export interface TestMcpServer {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  token: string;
  role: RunningRole;
  /** A connected MCP client presenting the token (and any extra headers, e.g. X-Ai4k8s-User); closed by stop(). */
  connect(token?: string, headers?: Record<string, string>): Promise<Client>;
  stop(): Promise<void>;
}

/**
 * Starts the real MCP role (startMcp) on a free port against a kubeconfig, as end-to-end tests do.
 * Use with the test cluster: `startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath })`.
 */
export async function startMcpServerForTest({
  kubeconfigPath,
  token = 'test-mcp-token-0123456789',
  config: overrides = {},
}: {
  kubeconfigPath: string;
  token?: string;
  config?: Partial<Config>;
}): Promise<TestMcpServer> {
  const config: Config = {
    ...configSchema.parse({ MCP_PORT: '1' }),
    MCP_PORT: 0,
    MCP_TOKEN: token,
    KUBECONFIG: kubeconfigPath,
    LOG_LEVEL: 'silent',
    ...overrides,
  };
  const role = await startMcp({ config, logger: createLogger({ level: config.LOG_LEVEL }) });
  const url = role.urls.mcp ?? `${role.urls.http}/mcp`;
  const clients: Client[] = [];
  return {
    url,
    token,
    role,
    connect: async (as = token, headers = {}) => {
      const client = new Client({ name: 'ai4k8s-test', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { ...headers, authorization: `Bearer ${as}` } } }));
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await role.stop();
    },
  };
}

/** A tool result with its first text block pulled out. */
export type CalledTool = CallToolResult & { text: string };

/**
 * Calls tools through the client `clientOf()` returns (it is usually connected later, in `before`) and
 * keeps every text and structured result in `outputs`, so a test can search all of them for leaks.
 */
export function recordingCall(clientOf: () => Client, outputs: string[]) {
  return async (name: string, args: Record<string, unknown> = {}): Promise<CalledTool> => {
    const result = (await clientOf().callTool({ name, arguments: args })) as CallToolResult;
    const text = (result.content[0] as { text: string }).text;
    outputs.push(text, JSON.stringify(result.structuredContent ?? {}));
    return { ...result, text };
  };
}
