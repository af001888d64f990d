import type { ToolCallRecord } from '../contract/toolbox.ts';
import type { AnswerLink } from '../chat/answer-view.ts';
import type { ReplyFile } from '../chat/reply-channel.ts';
import { rangeQueryReadSchema, type RangeQueryContent } from '../contract/range-query-content.ts';
import { renderChart } from './render-chart.ts';
import { TOOL_NAMES } from '../contract/tool-names.ts';

export const RANGE_QUERY_TOOL = TOOL_NAMES.prometheusRangeQuery;

/** The successful prometheus_range_query results of an answer, oldest first; anything malformed is skipped. */
export function rangeQueryResults(calls: readonly ToolCallRecord[]): RangeQueryContent[] {
  return calls.flatMap((call) => {
    if (call.name !== RANGE_QUERY_TOOL || call.isError || call.structuredContent === undefined) return [];
    const parsed = rangeQueryReadSchema.safeParse(call.structuredContent);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The answer's Grafana links, one per range query that has one (the same query twice gives one link). */
export function grafanaAnswerLinks(results: readonly RangeQueryContent[]): AnswerLink[] {
  const seen = new Set<string>();
  return results.flatMap((result) => {
    const link = result.grafana;
    if (link === undefined || seen.has(link.url)) return [];
    seen.add(link.url);
    const label = `📈 Grafana${link.kind === 'snapshot' ? '' : ' Explore'}: ${shortQuery(result.query)}`;
    return [{ label, url: link.url }];
  });
}

/** A PNG chart per range query with data, named so a retried job renders the same files in the same order. */
export function graphFiles(results: readonly RangeQueryContent[]): ReplyFile[] {
  return results
    .filter((result) => result.series.length > 0)
    .map((result, i) => ({
      filename: `graph-${i + 1}.png`,
      title: shortQuery(result.query),
      mimeType: 'image/png',
      data: renderChart({ title: result.query, series: result.series, start: result.start, end: result.end }),
    }));
}

const shortQuery = (query: string): string => (query.length > 80 ? `${query.slice(0, 79)}…` : query);
