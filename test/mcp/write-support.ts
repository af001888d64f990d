import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeClient } from '../../src/kube/create-kube-client.ts';
import { APPROVAL_GRANT_META_KEY } from '../../src/contract/approval-grant.ts';

export interface Called {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

/**
 * Calls a tool through a real MCP client and returns its text, error flag and structured content. `grant` goes in
 * the request's `_meta`, where the worker sends an approved call's grant.
 */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  { grant }: { grant?: string } = {},
): Promise<Called> {
  const meta = grant === undefined ? {} : { _meta: { [APPROVAL_GRANT_META_KEY]: grant } };
  const result = (await client.callTool({ name, arguments: args, ...meta })) as CallToolResult;
  return {
    text: (result.content[0] as { text: string }).text,
    isError: result.isError === true,
    structured: result.structuredContent,
  };
}

/** A unique, DNS-safe name for objects a test creates (the cluster is shared; never reuse names). */
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** A controller reference; no garbage collector runs in the test cluster, so the owner need not exist. */
export const controlledBy = (kind: string, name: string, uid: string = randomUUID()): V1OwnerReference => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
});

/** Creates a namespace of the test's own. */
export async function createNamespace(admin: KubeClient, prefix = 'writes'): Promise<string> {
  const name = uniqueName(prefix);
  await admin.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

/** A minimal Deployment: one container `app`, labels app=<name>. */
export function deploymentBody(name: string, { replicas = 2, image = 'registry.example.com/app:1.0' } = {}) {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}
