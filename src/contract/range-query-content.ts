import { z } from 'zod';

/** How a range query's answer points at Grafana. `deleteUrl` is for the audit log, never for the model or the chat. */
export const grafanaLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), url: z.string(), deleteUrl: z.string(), key: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('explore'), url: z.string(), snapshotError: z.string().optional() }),
]);

export type GrafanaLink = z.infer<typeof grafanaLinkSchema>;

/** A point as it travels: [unix seconds, value]; NaN and ±Inf are sent as null (JSON has no such numbers). */
const wirePoint = z.tuple([z.number(), z.number().nullable()]);

const contentShape = <Point extends z.ZodType>(point: Point) => ({
  query: z.string(),
  /** Unix seconds. */
  start: z.number(),
  end: z.number(),
  step: z.number(),
  series: z.array(z.object({ name: z.string(), labels: z.record(z.string(), z.string()), points: z.array(point) })),
  omittedSeries: z.number(),
  grafana: grafanaLinkSchema.optional(),
});

/**
 * The structured result of prometheus_range_query as the MCP server sends it (its outputSchema): what the worker
 * reads back to draw the graph and add the Grafana link to the answer. The model sees only the text.
 */
export const rangeQueryContentSchema = z.looseObject(contentShape(wirePoint));
export type RangeQueryWireContent = z.infer<typeof rangeQueryContentSchema>;

/** The same result as the worker reads it: null points come back as NaN (a gap in the graph). */
export const rangeQueryReadSchema = z.object(
  contentShape(wirePoint.transform(([at, value]): [number, number] => [at, value ?? Number.NaN])),
);
export type RangeQueryContent = z.output<typeof rangeQueryReadSchema>;

/** A point as the tool computed it, ready to send: non-finite values become null. */
export const wirePointOf = ([at, value]: readonly [number, number]): [number, number | null] => [at, Number.isFinite(value) ? value : null];
