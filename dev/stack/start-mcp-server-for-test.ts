import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from '../../src/config/schema.ts';
import { configSchema } from '../../src/config/schema.ts';
import { signApprovalGrant, type ApprovalBinding } from '../../src/contract/approval-grant.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { startMcp } from '../../src/roles/start-mcp.ts';
import type { RunningRole } from '../../src/roles/running-role.ts';
import { testRedisUrl, uniqueName } from '../services/shared.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';

/** The APPROVAL_SIGNING_KEY of test MCP servers with write tools: tests play the gateway and sign grants with it. */
export const TEST_SIGNING_KEY = 'test-approval-signing-key-0123456789abcdef';
export const TEST_MCP_TOKEN = 'test-mcp-token-0123456789abcdefghijkl';

export interface TestMcpServer {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  token: string;
  role: RunningRole;
  /** QUEUE_PREFIX: the Redis keys (used grants, audit stream) of this server. */
  prefix: string;
  /** A connected MCP client presenting the token (and any extra headers, e.g. X-Ai4k8s-User); closed by stop(). */
  connect(token?: string, headers?: Record<string, string>): Promise<Client>;
  /**
   * A grant for one call, signed as the gateway signs it after an approved click. `context` defaults to the test
   * cluster's current context (admin), `user` to none (no X-Ai4k8s-User).
   */
  grant(
    binding: Omit<ApprovalBinding, 'context' | 'user'> & Partial<Pick<ApprovalBinding, 'context' | 'user'>>,
    options?: { key?: string; ttlMs?: number; now?: number },
  ): string;
  stop(): Promise<void>;
}

/**
 * Starts the real MCP role (startMcp) on a free port against a kubeconfig, as end-to-end tests do.
 * Use with the test cluster: `startMcpServerForTest({ kubeconfigPath: (await testCluster()).kubeconfigPath })`.
 * With write tools it gets what they need: APPROVAL_SIGNING_KEY, the test Redis and a prefix of its own (pass
 * QUEUE_PREFIX to share one with another instance, as replicas do).
 */
export async function startMcpServerForTest({
  kubeconfigPath,
  token = TEST_MCP_TOKEN,
  config: overrides = {},
}: {
  kubeconfigPath: string;
  token?: string;
  config?: Partial<Config>;
}): Promise<TestMcpServer> {
  const writes = overrides.MCP_ENABLE_WRITE_TOOLS === true;
  const config: Config = {
    ...configSchema.parse({ MCP_PORT: '1' }),
    policy: undefined,
    MCP_PORT: 0,
    MCP_TOKEN: token,
    KUBECONFIG: kubeconfigPath,
    LOG_LEVEL: 'silent',
    ...(writes ? { APPROVAL_SIGNING_KEY: TEST_SIGNING_KEY, REDIS_URL: await testRedisUrl(), QUEUE_PREFIX: uniqueName('mcp') } : {}),
    ...overrides,
  };
  // loadConfig reads the policy file once for every role; a test that names one gets it read the same way.
  if (overrides.AI4K8S_POLICY !== undefined && overrides.policy === undefined) config.policy = loadPolicy(overrides.AI4K8S_POLICY);
  const role = await startMcp({ config, logger: createLogger({ level: config.LOG_LEVEL }) });
  const url = role.urls.mcp ?? `${role.urls.http}/mcp`;
  const clients: Client[] = [];
  return {
    url,
    token,
    role,
    prefix: config.QUEUE_PREFIX,
    connect: async (as = token, headers = {}) => {
      const client = new Client({ name: 'ai4k8s-test', version: '0.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { ...headers, authorization: `Bearer ${as}` } } }),
      );
      clients.push(client);
      return client;
    },
    grant: ({ context = 'admin', user, ...call }, { key = config.APPROVAL_SIGNING_KEY ?? TEST_SIGNING_KEY, ttlMs = 60_000, now } = {}) =>
      signApprovalGrant({
        key,
        binding: { ...call, context, user },
        approval: 'test-approval',
        by: 'slack:T0TEST:U0APPROVER',
        ttlMs,
        ...(now === undefined ? {} : { now }),
      }),
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
