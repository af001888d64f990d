import { alertmanagerClient, type AlertmanagerClient } from './alertmanager-client.ts';
import { grafanaClient, type GrafanaClient } from './grafana-client.ts';
import { publicBaseUrl } from './grafana-links.ts';
import { prometheusClient, type PrometheusClient } from './prometheus-client.ts';

/** The monitoring backends that are configured; a tool family is offered only when its backend is here. */
export interface MonitoringClients {
  prometheus?: PrometheusClient;
  alertmanager?: AlertmanagerClient;
  /** Snapshots need GRAFANA_URL and GRAFANA_TOKEN. */
  grafana?: GrafanaClient;
  /** GRAFANA_URL without credentials, for deep links (set whenever GRAFANA_URL is). */
  grafanaUrl?: string;
  /** Seconds a snapshot lives before Grafana deletes it. */
  snapshotExpiresSeconds?: number;
}

export interface MonitoringSettings {
  PROMETHEUS_URL?: string | undefined;
  ALERTMANAGER_URL?: string | undefined;
  GRAFANA_URL?: string | undefined;
  GRAFANA_TOKEN?: string | undefined;
}

/** Clients for whatever of PROMETHEUS_URL, ALERTMANAGER_URL and GRAFANA_URL/GRAFANA_TOKEN is set. */
export function monitoringClients({ PROMETHEUS_URL, ALERTMANAGER_URL, GRAFANA_URL, GRAFANA_TOKEN }: MonitoringSettings): MonitoringClients {
  return {
    ...(PROMETHEUS_URL === undefined ? {} : { prometheus: prometheusClient({ url: PROMETHEUS_URL }) }),
    ...(ALERTMANAGER_URL === undefined ? {} : { alertmanager: alertmanagerClient({ url: ALERTMANAGER_URL }) }),
    ...(GRAFANA_URL === undefined ? {} : { grafanaUrl: publicBaseUrl(GRAFANA_URL) }),
    ...(GRAFANA_URL === undefined || GRAFANA_TOKEN === undefined
      ? {}
      : { grafana: grafanaClient({ url: GRAFANA_URL, token: GRAFANA_TOKEN }) }),
  };
}
