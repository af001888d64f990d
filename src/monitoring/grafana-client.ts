import { MonitoringRequestError } from './errors.ts';
import { publicBaseUrl } from './grafana-links.ts';
import { requestJson } from './request-json.ts';

/** A created snapshot. `url` may be shared; `deleteUrl` removes it and belongs in the audit log only. */
export interface GrafanaSnapshot {
  key: string;
  url: string;
  deleteUrl: string;
  id?: number;
}

export interface CreateSnapshotOptions {
  /** The complete dashboard model, data embedded in its panels (see snapshotDashboard). */
  dashboard: Record<string, unknown>;
  name: string;
  /** Seconds until Grafana deletes the snapshot. */
  expires: number;
  signal?: AbortSignal | undefined;
}

export interface GrafanaClient {
  /** Grafana's base URL without any credentials. */
  readonly url: string;
  createSnapshot(options: CreateSnapshotOptions): Promise<GrafanaSnapshot>;
}

/**
 * A client of Grafana's snapshot API, authenticated with a service-account token. The token lives in this
 * closure only: it is sent as a header and never becomes part of a URL, a result or an error message.
 */
export function grafanaClient({ url, token }: { url: string; token: string }): GrafanaClient {
  const base = publicBaseUrl(url);
  return {
    url: base,
    async createSnapshot({ dashboard, name, expires, signal }) {
      const created = await requestJson<Partial<GrafanaSnapshot>>({
        service: 'grafana',
        baseUrl: base,
        path: '/api/snapshots',
        method: 'POST',
        body: { dashboard, name, expires },
        headers: { authorization: `Bearer ${token}` },
        signal,
        // A retried POST could leave a second snapshot behind; one failed link is cheaper.
        retries: 0,
      });
      if (typeof created?.url !== 'string' || typeof created.key !== 'string') {
        throw new MonitoringRequestError('grafana', 'grafana answered POST /api/snapshots without a snapshot url and key');
      }
      return {
        key: created.key,
        url: created.url,
        deleteUrl: typeof created.deleteUrl === 'string' ? created.deleteUrl : '',
        ...(typeof created.id === 'number' ? { id: created.id } : {}),
      };
    },
  };
}
