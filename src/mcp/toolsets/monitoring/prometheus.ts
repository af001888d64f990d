import { z } from 'zod';
import type { MonitoringClients } from '../../../monitoring/monitoring-clients.ts';
import type { PrometheusClient } from '../../../monitoring/prometheus-client.ts';
import { isoTime, parseTime } from '../../../monitoring/parse-time.ts';
import { seriesName } from '../../../monitoring/snapshot-dashboard.ts';
import { formatValue } from '../../../contract/format-value.ts';
import { ToolFailure } from '../../errors.ts';
import { formatTable } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { asMonitoringTool } from './monitoring-failure.ts';
import { rangeQuery } from './range-query.ts';
import { own, untrusted } from '../../result-parts.ts';
import { TOOL_NAMES } from '../../../contract/tool-names.ts';
import { rangeQueryContentSchema } from '../../../contract/range-query-content.ts';

export const promqlArgument = z
  .string()
  .min(1)
  .max(4000)
  .describe('PromQL expression, e.g. sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"}[5m])).');

export const BAD_PROMQL_HINT =
  'The PromQL is invalid: fix the expression (check brackets, label matchers and function names) and call again.';

/** Prometheus tools; none without PROMETHEUS_URL. */
export function prometheusTools(monitoring: MonitoringClients = {}): ToolDefinition[] {
  const prometheus = monitoring.prometheus;
  if (prometheus === undefined) return [];
  return [
    defineTool({
      name: 'prometheus_query',
      title: 'Query Prometheus (instant)',
      description:
        'Evaluates a PromQL expression at one instant (default now). Returns one line per series, highest value first, capped at ' +
        '`limit`; aggregate (sum by, topk) to see many series at once. For a trend over time use prometheus_range_query.',
      inputSchema: {
        query: promqlArgument,
        time: z.string().max(40).optional().describe('When: "now" (default), "now-1h", unix seconds or RFC 3339.'),
        limit: z.number().int().min(1).max(500).default(50).describe('Most series to show.'),
      },
      annotations: READ_ONLY,
      handler: ({ query, time, limit }, { signal }) =>
        asMonitoringTool(() => instantQuery(prometheus, { query, time, limit, signal }), { badRequest: BAD_PROMQL_HINT }),
    }),
    defineTool({
      name: TOOL_NAMES.prometheusRangeQuery,
      title: 'Query Prometheus over a time range',
      description:
        'Evaluates a PromQL expression over a time range with a bounded number of points per series (the step is chosen from the ' +
        'range). Returns per series min / max / last / trend, plus a Grafana link for the window when Grafana is configured; the ' +
        'worker posts a graph of it in the thread. Use it for "what happened over the last hour" questions.',
      inputSchema: {
        query: promqlArgument,
        range: z
          .string()
          .regex(/^(\d+[smhd])+$/, { error: 'expected a duration like 30m, 1h, 6h or 2d' })
          .default('1h')
          .describe('How far back from `end`, e.g. 15m, 1h, 1d (at most 31d).'),
        end: z.string().max(40).optional().describe('End of the window: "now" (default), "now-1h", unix seconds or RFC 3339.'),
        maxPoints: z.number().int().min(10).max(500).default(120).describe('Most points per series; the step grows to fit.'),
        maxSeries: z.number().int().min(1).max(50).default(10).describe('Most series to return (highest last value first).'),
      },
      outputSchema: rangeQueryContentSchema,
      annotations: READ_ONLY,
      handler: (args, { signal }) =>
        asMonitoringTool(() => rangeQuery({ prometheus, monitoring, ...args, signal }), { badRequest: BAD_PROMQL_HINT }),
    }),
  ];
}

async function instantQuery(
  prometheus: PrometheusClient,
  { query, time, limit, signal }: { query: string; time: string | undefined; limit: number; signal: AbortSignal | undefined },
) {
  const at = time === undefined ? undefined : parseTime(time);
  if (time !== undefined && at === undefined) {
    throw new ToolFailure(`time "${time}" is not "now", "now-<duration>", unix seconds or RFC 3339`, { code: 'tool_input_invalid' });
  }
  const result = await prometheus.query({ query, ...(at === undefined ? {} : { time: at }), signal });
  const when = isoTime(at ?? Date.now() / 1000);
  const warnings = result.warnings.map((w) => `warning: ${w}`);
  if (result.resultType === 'matrix') {
    throw new ToolFailure(
      `${query} is a range vector; use prometheus_range_query for values over time, or wrap it in a function such as rate() or max_over_time().`,
      {
        code: 'tool_input_invalid',
      },
    );
  }
  const samples = [...result.samples].sort((a, b) => sortKey(b.value) - sortKey(a.value));
  const shown = samples.slice(0, limit);
  const header = `${query} at ${when}: ${result.resultType}, ${samples.length} series${samples.length > shown.length ? ` (showing the ${shown.length} highest)` : ''}`;
  // Label values come from exporters and whoever writes metrics: the series table is fenced.
  const text =
    samples.length === 0
      ? [own(header), own('No data: the series may not exist (check the metric name and label values) or had no samples at this time.')]
      : [
          own(`${header}:`),
          untrusted(
            `series of ${query}`,
            formatTable(shown, [
              { header: 'value', value: (s) => formatValue(s.value) },
              { header: 'series', value: (s) => seriesName(s.labels) },
            ]),
          ),
          ...(samples.length > shown.length
            ? [own(`${samples.length - shown.length} more series not shown; aggregate (sum by (...)), add label matchers or use topk().`)]
            : []),
        ];
  if (warnings.length > 0) text.push(untrusted('warnings from Prometheus', warnings.join('\n')));
  return {
    text,
    structuredContent: {
      query,
      time: when,
      resultType: result.resultType,
      total: samples.length,
      samples: shown.map(({ labels, value }) => ({ labels, value })),
    },
  };
}

/** NaN sorts last. */
export const sortKey = (value: number): number => (Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value);
