import { z } from 'zod';

/**
 * The structuredContent key under which the MCP server answers a write tool's dry run with exactly what applying
 * it means: the arguments to send with `dryRun: false` (as the server validated them, with any value the preview
 * resolved pinned, e.g. rollout_undo's revision) and the kube context the call acts on. The approval gate stores
 * these, the card shows them, and the grant binds them, so the approved call is the previewed one.
 */
export const APPLY_PLAN_KEY = 'apply';

export const applyPlanSchema = z.object({
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
  context: z.string(),
});
export type ApplyPlan = z.infer<typeof applyPlanSchema>;

/** The apply plan in a tool result's structuredContent, or undefined when it has none (a read tool, an error). */
export function applyPlanOf(structuredContent: Record<string, unknown> | undefined): ApplyPlan | undefined {
  const parsed = applyPlanSchema.safeParse(structuredContent?.[APPLY_PLAN_KEY]);
  return parsed.success ? parsed.data : undefined;
}
