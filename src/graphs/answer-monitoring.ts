import type { ToolCallRecord } from '../contract/toolbox.ts';
import type { AuditContext, AuditEvent } from '../contract/audit-event.ts';
import type { AnswerView } from '../chat/answer-view.ts';
import type { ReplyFile } from '../chat/reply-channel.ts';
import { graphFiles, grafanaAnswerLinks, RANGE_QUERY_TOOL, rangeQueryResults } from './range-graphs.ts';

export interface AnswerMonitoring {
  /** PNG charts to upload after the answer (empty when the channel cannot upload). */
  graphs: ReplyFile[];
  /** Adds the Grafana links to the answer, whatever the model wrote. */
  withLinks: (view: AnswerView) => AnswerView;
  /** One audit event per Grafana snapshot, carrying its delete URL. */
  snapshotEvents: (context: AuditContext) => AuditEvent[];
}

/**
 * What an answer gains from its prometheus_range_query calls: the graphs, the Grafana links (added
 * deterministically, so a link never depends on the model copying it) and the snapshots' audit events.
 */
export function answerMonitoring(calls: readonly ToolCallRecord[], { charts }: { charts: boolean }): AnswerMonitoring {
  const results = rangeQueryResults(calls);
  const links = grafanaAnswerLinks(results);
  return {
    graphs: charts ? graphFiles(results) : [],
    withLinks: (view) => (links.length === 0 ? view : { ...view, links: [...(view.links ?? []), ...links] }),
    snapshotEvents: (context) =>
      results.flatMap((result) =>
        result.grafana?.kind === 'snapshot'
          ? [
              {
                ...context,
                kind: 'grafana_snapshot' as const,
                at: new Date().toISOString(),
                durationMs: 0,
                result: 'ok' as const,
                tool: RANGE_QUERY_TOOL,
                query: result.query,
                url: result.grafana.url,
                deleteUrl: result.grafana.deleteUrl,
                expiresAt: result.grafana.expiresAt,
              },
            ]
          : [],
      ),
  };
}
