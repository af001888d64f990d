import { z } from 'zod';

/** health_summary's structuredContent (its outputSchema), as the digest worker parses it. Names and reasons come from the cluster. */
export const healthContentSchema = z.looseObject({
  scope: z.object({ namespace: z.string().optional() }),
  failingWorkloads: z.array(
    z.object({ kind: z.string(), namespace: z.string(), name: z.string(), ready: z.string(), reasons: z.array(z.string()) }),
  ),
  pendingPods: z.array(z.object({ namespace: z.string(), name: z.string(), age: z.string(), reason: z.string() })),
  /** Empty, and `nodesChecked` false, for a one-namespace call: nodes are cluster-wide. */
  notReadyNodes: z.array(z.object({ name: z.string(), status: z.string() })),
  nodesChecked: z.boolean(),
  topRestarts: z.array(
    z.object({ namespace: z.string(), name: z.string(), restarts: z.number(), status: z.string(), lastTermination: z.string().optional() }),
  ),
  /** How many there are in all; the lists stop at LIST_CAP. */
  counts: z.object({ failingWorkloads: z.number(), pendingPods: z.number(), notReadyNodes: z.number() }),
  notes: z.array(z.string()),
});

/** Most entries per list: a digest names the first ones and counts the rest. */
export const LIST_CAP = 50;
export type HealthContent = z.infer<typeof healthContentSchema>;
