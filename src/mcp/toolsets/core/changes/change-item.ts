import { z } from 'zod';

/** What kind of change an item is; the order is how items of the same second are listed. */
export const CHANGE_TYPES = ['rollout', 'scale', 'config', 'secret', 'helm', 'gitops', 'node', 'created', 'deleting'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/**
 * One change the API can show, with how it was derived. Names and free text in it come from the cluster. The
 * schema is the contract of changes_list's structuredContent `items`: the worker parses them with it.
 */
export const changeItemSchema = z.object({
  /** When it happened, RFC 3339 (whole seconds, as Kubernetes keeps them). */
  at: z.string(),
  type: z.enum(CHANGE_TYPES),
  /** The object's kind as the API names it: Deployment, ConfigMap, Node, Application. */
  kind: z.string(),
  /** Absent for cluster-scoped objects (nodes). */
  namespace: z.string().optional(),
  name: z.string(),
  /** What changed, compact: "revision 3: image app 1.0 → 1.1; env LOG_LEVEL changed". */
  summary: z.string(),
  /** The field manager (managedFields) that made it, when the API tells. */
  by: z.string().optional(),
  /** How the item was derived, e.g. "ReplicaSets checkout-6f9 (rev 2) → checkout-7d4 (rev 3)". */
  derivedFrom: z.string(),
});
export type ChangeItem = z.infer<typeof changeItemSchema>;

/** changes_list's structuredContent, as the worker reads it. */
export const changesListContentSchema = z.object({
  window: z.object({ since: z.string(), until: z.string() }),
  items: z.array(changeItemSchema),
  total: z.number(),
  unknown: z.array(z.string()),
});

/** The time window asked about, in epoch milliseconds. */
export interface ChangeWindow {
  sinceMs: number;
  untilMs: number;
}

/** Items derived from one family of objects, plus what the API could not show about it. */
export interface DerivedChanges {
  items: ChangeItem[];
  /** Sentences saying what is unknown and why ("revisions before 10:02 are no longer kept"). */
  unknown: string[];
}

export const inWindow = (window: ChangeWindow, at: number): boolean => at >= window.sinceMs && at <= window.untilMs;

/** Milliseconds of a Kubernetes timestamp (ISO string as JSON carries it); NaN when absent or malformed. */
export const timeOf = (value: string | undefined): number => (value === undefined ? Number.NaN : Date.parse(value));

/** RFC 3339 in whole seconds. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "Deployment shop/checkout", or "Node node-3" for cluster-scoped objects. */
export const objectLabel = (item: Pick<ChangeItem, 'kind' | 'namespace' | 'name'>): string =>
  `${item.kind} ${item.namespace === undefined ? '' : `${item.namespace}/`}${item.name}`;
