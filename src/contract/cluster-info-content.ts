import { z } from 'zod';

/** cluster_info's structuredContent (its outputSchema); the digest reads `nodes.notReady`. */
export const clusterInfoContentSchema = z.looseObject({
  version: z.string(),
  platform: z.string(),
  /** host:port of the API server. */
  apiServer: z.string(),
  context: z.string(),
  nodes: z.object({ total: z.number(), ready: z.number(), notReady: z.array(z.string()) }),
  namespaces: z.number(),
});
export type ClusterInfoContent = z.infer<typeof clusterInfoContentSchema>;
