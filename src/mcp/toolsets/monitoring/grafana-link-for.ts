import { MonitoringError } from '../../../monitoring/errors.ts';
import { exploreLink } from '../../../monitoring/grafana-links.ts';
import type { MonitoringClients } from '../../../monitoring/monitoring-clients.ts';
import type { RangeSeries } from '../../../monitoring/prometheus-client.ts';
import type { GrafanaLink } from '../../../contract/range-query-content.ts';
import { snapshotDashboard } from '../../../monitoring/snapshot-dashboard.ts';

/** A week: long enough for a post-mortem, short enough not to pile up. */
export const DEFAULT_SNAPSHOT_EXPIRES_SECONDS = 7 * 24 * 3600;

export interface GrafanaLinkForOptions {
  monitoring: MonitoringClients;
  query: string;
  series: readonly RangeSeries[];
  start: number;
  end: number;
  step: number;
  signal?: AbortSignal | undefined;
}

/**
 * A snapshot with the queried series embedded when Grafana has a token, else (or when the snapshot fails)
 * an Explore link with the query and time range; undefined without GRAFANA_URL. A failed snapshot never
 * fails the query: the numbers are the answer, the link is a convenience.
 */
export async function grafanaLinkFor({
  monitoring,
  query,
  series,
  start,
  end,
  step,
  signal,
}: GrafanaLinkForOptions): Promise<GrafanaLink | undefined> {
  const explore = (snapshotError?: string): GrafanaLink | undefined =>
    monitoring.grafanaUrl === undefined
      ? undefined
      : {
          kind: 'explore',
          url: exploreLink({ grafanaUrl: monitoring.grafanaUrl, query, start, end }),
          ...(snapshotError === undefined ? {} : { snapshotError }),
        };
  if (monitoring.grafana === undefined) return explore();
  const expires = monitoring.snapshotExpiresSeconds ?? DEFAULT_SNAPSHOT_EXPIRES_SECONDS;
  try {
    const snapshot = await monitoring.grafana.createSnapshot({
      dashboard: snapshotDashboard({ title: `ai4k8s: ${query}`.slice(0, 200), query, series, start, end, step }),
      name: `ai4k8s ${new Date(end * 1000).toISOString()} ${query}`.slice(0, 200),
      expires,
      signal,
    });
    return {
      kind: 'snapshot',
      url: snapshot.url,
      deleteUrl: snapshot.deleteUrl,
      key: snapshot.key,
      expiresAt: new Date(Date.now() + expires * 1000).toISOString(),
    };
  } catch (error) {
    if (!(error instanceof MonitoringError)) throw error;
    return explore(error.message);
  }
}
