/**
 * Grafana's base URL as it may appear in a link: no user:password, no query or fragment, no trailing
 * slash. GRAFANA_URL could carry basic-auth credentials; a link in a chat must not.
 */
export function publicBaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

export interface ExploreLinkOptions {
  grafanaUrl: string;
  /** PromQL; its label matchers are the "labels filled in". */
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** The Prometheus data source's uid; Grafana's default data source when absent. */
  datasourceUid?: string | undefined;
  orgId?: number;
}

/**
 * An Explore deep link with the query and absolute time range filled in (Grafana 10+ `panes` format).
 * The fallback when no token allows a snapshot.
 */
export function exploreLink({ grafanaUrl, query, start, end, datasourceUid, orgId = 1 }: ExploreLinkOptions): string {
  const datasource = datasourceUid === undefined ? { type: 'prometheus' } : { type: 'prometheus', uid: datasourceUid };
  const pane = {
    ...(datasourceUid === undefined ? {} : { datasource: datasourceUid }),
    queries: [{ refId: 'A', expr: query, datasource }],
    range: { from: String(Math.round(start * 1000)), to: String(Math.round(end * 1000)) },
  };
  const params = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify({ a: pane }), orgId: String(orgId) });
  return `${publicBaseUrl(grafanaUrl)}/explore?${params.toString()}`;
}

export interface DashboardLinkOptions {
  grafanaUrl: string;
  /** The dashboard's uid. */
  uid: string;
  start: number;
  end: number;
  /** Label values as dashboard variables (`var-namespace=shop`). */
  labels?: Record<string, string>;
  orgId?: number;
}

/** A dashboard deep link with the time range and label variables filled in. */
export function dashboardLink({ grafanaUrl, uid, start, end, labels = {}, orgId = 1 }: DashboardLinkOptions): string {
  const params = new URLSearchParams({ orgId: String(orgId), from: String(Math.round(start * 1000)), to: String(Math.round(end * 1000)) });
  for (const [name, value] of Object.entries(labels)) params.append(`var-${name}`, value);
  return `${publicBaseUrl(grafanaUrl)}/d/${encodeURIComponent(uid)}?${params.toString()}`;
}
