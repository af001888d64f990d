import type { McpToolboxPool } from '../agent/mcp-toolbox-pool.ts';

/** The cluster's name as people know it, for answers, audit events and the console. */
export interface ClusterName {
  name(): Promise<string>;
}

export interface ClusterNameOptions {
  /** CLUSTER_NAME: wins when set. */
  displayName?: string | undefined;
  /** The bot's MCP sessions: the MCP server's kubeconfig context is asked once through `contexts_list`. */
  toolboxes: McpToolboxPool;
  /** Said when nothing better is known yet (the MCP server's host). */
  fallback: string;
  /** After a failed lookup, how long to answer with the fallback before asking again. */
  retryAfterMs?: number;
}

/**
 * CLUSTER_NAME, else the MCP server's current kube context learned once (with its cluster when the two
 * differ: `admin (ai4k8s-test)`), else the MCP server's host until the lookup succeeds. A failed lookup
 * costs a job nothing more than one attempt per `retryAfterMs`.
 */
export function clusterName({ displayName, toolboxes, fallback, retryAfterMs = 30_000 }: ClusterNameOptions): ClusterName {
  if (displayName !== undefined && displayName !== '') return { name: () => Promise.resolve(displayName) };
  let learned: Promise<string | undefined> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  const learn = async (): Promise<string | undefined> => {
    const toolbox = await toolboxes.acquire(undefined);
    try {
      const outcome = await toolbox.call('contexts_list', {});
      const content = outcome.structuredContent as { current?: unknown; contexts?: { name?: unknown; cluster?: unknown }[] } | undefined;
      if (outcome.isError || typeof content?.current !== 'string' || content.current === '') return undefined;
      const cluster = content.contexts?.find((c) => c.name === content.current)?.cluster;
      return typeof cluster === 'string' && cluster !== '' && cluster !== content.current
        ? `${content.current} (${cluster})`
        : content.current;
    } finally {
      await toolbox.close();
    }
  };
  return {
    name: async () => {
      if (learned === undefined) {
        if (Date.now() - failedAt < retryAfterMs) return fallback;
        learned = learn().catch(() => undefined);
      }
      const name = await learned;
      if (name !== undefined) return name;
      learned = undefined;
      failedAt = Date.now();
      return fallback;
    },
  };
}
