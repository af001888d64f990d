import { z } from 'zod';

/** How a range query's answer points at Grafana. `deleteUrl` is for the audit log, never for the model or the chat. */
export const grafanaLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), url: z.string(), deleteUrl: z.string(), key: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('explore'), url: z.string(), snapshotError: z.string().optional() }),
]);

export type GrafanaLink = z.infer<typeof grafanaLinkSchema>;

/** NaN and ±Inf travel as JSON null; they come back as NaN (a gap in the graph). */
const pointValue = z.number().nullable().transform((v) => v ?? Number.NaN);

/**
 * The structured result of prometheus_range_query: what the MCP server sends and the worker reads back to
 * draw the graph and add the Grafana link to the answer. The model sees only the text.
 */
export const rangeQueryContentSchema = z.object({
  query: z.string(),
  /** Unix seconds. */
  start: z.number(),
  end: z.number(),
  step: z.number(),
  series: z.array(z.object({ name: z.string(), labels: z.record(z.string(), z.string()), points: z.array(z.tuple([z.number(), pointValue])) })),
  omittedSeries: z.number(),
  grafana: grafanaLinkSchema.optional(),
});

/** As the tool builds it (numbers; JSON turns NaN into null) and as the worker reads it back. */
export type RangeQueryContent = z.output<typeof rangeQueryContentSchema>;
