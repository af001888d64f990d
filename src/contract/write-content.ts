import { z } from 'zod';
import { APPLY_PLAN_KEY, applyPlanSchema } from './apply-plan.ts';

/** One field as it is and as it would be. */
export const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** What a write would do (or did): what an approval card shows. */
export const writePreviewSchema = z.object({
  /** One exact line a human approves, e.g. "scale deployment shop/checkout: replicas 2 → 5". */
  summary: z.string(),
  target: z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional(), context: z.string() }),
  changes: z.array(fieldChangeSchema),
  /** Further exact lines (a drain's pods, a pod's owner), kept short. */
  details: z.array(z.string()).optional(),
});
export type WritePreview = z.infer<typeof writePreviewSchema>;

/**
 * Every write tool's structuredContent (its outputSchema). Callers decide on the flags, never on the text:
 * `changed` false means the object already is as asked, so there is nothing to approve or apply; `dryRun` true
 * means this call changed nothing (a preview), false that it applied the change.
 */
export const writeContentSchema = z.looseObject({
  preview: writePreviewSchema,
  /** Applying changes (or changed) the cluster; false: it already is as asked. */
  changed: z.boolean(),
  /** This call was a preview (server-side dry run, or no change to make): nothing was applied. */
  dryRun: z.boolean(),
  /** The change was applied by this call (changed and not a dry run). */
  applied: z.boolean(),
  /** What applying did, line by line (after applying only). */
  outcome: z.array(z.string()).optional(),
  /** Values the preview resolved that applying must use (e.g. the revision "previous" meant). */
  resolvedArguments: z.record(z.string(), z.unknown()).optional(),
  /** Added by the MCP server to a dry run that would change something: exactly what applying means. */
  [APPLY_PLAN_KEY]: applyPlanSchema.optional(),
});
export type WriteContent = z.infer<typeof writeContentSchema>;

/** A write result's structured content, or undefined when it has none in this shape (an error, a read tool). */
export function writeContentOf(structuredContent: Record<string, unknown> | undefined): WriteContent | undefined {
  const parsed = writeContentSchema.safeParse(structuredContent);
  return parsed.success ? parsed.data : undefined;
}
