import type { RangeSeries } from './prometheus-client.ts';

export interface SnapshotDashboardOptions {
  title: string;
  query: string;
  series: readonly RangeSeries[];
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
}

/** A series' display name: its labels as PromQL shows them, `__name__` first. */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: metric = '', ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? metric || '{}' : `${metric}{${pairs.join(', ')}}`;
}

/**
 * The dashboard model of a snapshot: one time-series panel whose data is embedded as data frames
 * (`snapshotData`), so the snapshot shows the queried series without any data source. The query stays in
 * the panel's targets for the reader; the time range is the queried one.
 */
export function snapshotDashboard({ title, query, series, start, end, step }: SnapshotDashboardOptions): Record<string, unknown> {
  const snapshotData = series.map((s, i) => ({
    refId: 'A',
    name: seriesName(s.labels),
    fields: [
      { name: 'Time', type: 'time', config: { interval: step * 1000 }, values: s.points.map(([t]) => Math.round(t * 1000)) },
      {
        name: 'Value',
        type: 'number',
        labels: s.labels,
        config: { displayNameFromDS: seriesName(s.labels) },
        values: s.points.map(([, v]) => v),
      },
    ],
    meta: { executedQueryString: query, index: i },
  }));
  return {
    title,
    editable: false,
    schemaVersion: 39,
    timezone: 'utc',
    time: { from: new Date(start * 1000).toISOString(), to: new Date(end * 1000).toISOString() },
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: query,
        gridPos: { x: 0, y: 0, w: 24, h: 12 },
        datasource: null,
        targets: [{ refId: 'A', expr: query, step }],
        snapshotData,
        fieldConfig: { defaults: {}, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom' } },
      },
    ],
  };
}
