import { z } from 'zod';

/** alerts_list's structuredContent (its outputSchema), as the digest reads it. Labels and annotations come from Alertmanager. */
export const alertsListContentSchema = z.looseObject({
  total: z.number(),
  alerts: z.array(
    z.object({
      fingerprint: z.string(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()),
      state: z.string(),
      startsAt: z.string(),
      silencedBy: z.array(z.string()),
      receivers: z.array(z.string()),
      generatorURL: z.string().optional(),
    }),
  ),
});
export type AlertsListContent = z.infer<typeof alertsListContentSchema>;
