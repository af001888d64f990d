import { parseDuration } from '../../../kube/parse-duration.ts';
import type { MonitoringClients } from '../../../monitoring/monitoring-clients.ts';
import type { PrometheusClient } from '../../../monitoring/prometheus-client.ts';
import { isoTime, parseTime } from '../../../monitoring/parse-time.ts';
import { wirePointOf, type RangeQueryWireContent } from '../../../contract/range-query-content.ts';
import { rangeStep } from '../../../monitoring/range-step.ts';
import { seriesName } from '../../../monitoring/snapshot-dashboard.ts';
import { formatValue } from '../../../contract/format-value.ts';
import { summarizeSeries } from '../../../monitoring/summarize-series.ts';
import { ToolFailure } from '../../errors.ts';
import { redactStructured } from '../../../redact/redact-structured.ts';
import { formatTable } from '../../format-table.ts';
import type { ResultPart, ToolResult } from '../../tool-definition.ts';
import { grafanaLinkFor } from './grafana-link-for.ts';
import { own, untrusted } from '../../result-parts.ts';

const MAX_RANGE_SECONDS = 31 * 24 * 3600;

export interface RangeQueryOptions {
  prometheus: PrometheusClient;
  monitoring: MonitoringClients;
  query: string;
  range: string;
  end?: string | undefined;
  maxPoints: number;
  maxSeries: number;
  signal?: AbortSignal | undefined;
}

/** prometheus_range_query: a bounded range query, summarised per series, with a Grafana link for the window. */
export async function rangeQuery({
  prometheus,
  monitoring,
  query,
  range,
  end,
  maxPoints,
  maxSeries,
  signal,
}: RangeQueryOptions): Promise<ToolResult> {
  const rangeMs = parseDuration(range);
  if (rangeMs === undefined || rangeMs <= 0 || rangeMs / 1000 > MAX_RANGE_SECONDS) {
    throw new ToolFailure(`range "${range}" must be a duration from 1s to 31d, like 30m, 6h or 2d`, { code: 'tool_input_invalid' });
  }
  const endAt = end === undefined ? Date.now() / 1000 : parseTime(end);
  if (endAt === undefined)
    throw new ToolFailure(`end "${end ?? ''}" is not "now", "now-<duration>", unix seconds or RFC 3339`, { code: 'tool_input_invalid' });
  // Whole seconds keep the window the same in the text, the graph and the Grafana link.
  const stop = Math.floor(endAt);
  const start = stop - Math.round(rangeMs / 1000);
  const step = rangeStep({ start, end: stop, maxPoints });
  const result = await prometheus.queryRange({ query, start, end: stop, step, signal });
  const ranked = result.series
    .map((series) => ({ series, summary: summarizeSeries(series) }))
    .sort((a, b) => rank(b.summary.last) - rank(a.summary.last));
  const shown = ranked.slice(0, maxSeries);
  // A defensive cut: Prometheus aligns to the step, but never hand on more than asked.
  // Redacted here, not only by runTool: the series also leave for Grafana, where a snapshot can be shared.
  const series = shown.map(({ series: s }) => {
    const labels = redactStructured(s.labels).value as Record<string, string>;
    return { name: seriesName(labels), labels, points: s.points.slice(-maxPoints) };
  });
  const grafana = series.length === 0 ? undefined : await grafanaLinkFor({ monitoring, query, series, start, end: stop, step, signal });
  const window = `${isoTime(start)} → ${isoTime(stop)}, step ${step}s`;
  const text: ResultPart[] = [
    own(
      `${query} over ${range} (${window}): ${result.series.length} series${ranked.length > shown.length ? `, showing the ${shown.length} with the highest last value` : ''}`,
    ),
  ];
  if (series.length === 0) text.push(own('No data in this window: check the metric name and label values, or widen the range.'));
  else {
    // Label values come from exporters and whoever writes metrics: the series table is fenced.
    text.push(
      untrusted(
        `series of ${query}`,
        formatTable(shown, [
          { header: 'min', value: ({ summary }) => formatValue(summary.min) },
          { header: 'max', value: ({ summary }) => formatValue(summary.max) },
          { header: 'last', value: ({ summary }) => formatValue(summary.last) },
          { header: 'trend', value: ({ summary }) => summary.trend },
          { header: 'points', value: ({ series: s }) => Math.min(s.points.length, maxPoints) },
          { header: 'series', value: (row) => series[shown.indexOf(row)]?.name ?? '' },
        ]),
      ),
    );
  }
  if (ranked.length > shown.length)
    text.push(
      own(`${ranked.length - shown.length} more series not shown; aggregate (sum by (...)), add label matchers or raise maxSeries.`),
    );
  if (grafana?.kind === 'snapshot') text.push(own(`Grafana snapshot of this window (expires ${grafana.expiresAt}): ${grafana.url}`));
  if (grafana?.kind === 'explore') text.push(own(`Grafana Explore for this window: ${grafana.url}`));
  if (result.warnings.length > 0) text.push(untrusted('warnings from Prometheus', result.warnings.map((w) => `warning: ${w}`).join('\n')));
  const content: RangeQueryWireContent = {
    query,
    start,
    end: stop,
    step,
    series: series.map((s) => ({ ...s, points: s.points.map(wirePointOf) })),
    omittedSeries: ranked.length - shown.length,
    ...(grafana === undefined ? {} : { grafana }),
  };
  return { text, structuredContent: { ...content } };
}

const rank = (value: number): number => (Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value);
