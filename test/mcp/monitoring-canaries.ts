import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGrafanaApi } from '../../dev/fakes/fake-grafana-api.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';

/**
 * Credential-looking values planted in the monitoring backends, each where a careless exporter or alert
 * rule would put one. None may reach a tool result; the tests look for them verbatim.
 */
export const MONITORING_CANARIES = {
  /** In a scraped metric's `dsn` label: a URL with a password. */
  metricUrlPassword: 'CANARYmetricPw7c1d',
  /** In a scraped metric's `auth_header` label: a bearer token. */
  metricBearer: 'CANARYlabelToken9a8b7c6d',
  /** In a scraped metric's credential-named `api_token` label, a value of no recognisable shape. */
  metricApiToken: 'CANARYmetricApiToken3f4e',
  /** In an alert's `summary` annotation: a bearer token. */
  alertAnnotationBearer: 'CANARYalertBearer5e6f7a8b',
  /** In an alert's `description` annotation: a URL with a password. */
  alertAnnotationUrlPassword: 'CANARYalertUrlPw2d3c',
  /** In an alert's credential-named `api_token` label. */
  alertLabelToken: 'CANARYalertLabelTok8e9f',
} as const;

const C = MONITORING_CANARIES;

export interface LeakyExporter {
  /** host:port, for StartPrometheusOptions.extraScrapeTargets. */
  target: string;
  stop(): Promise<void>;
}

/** A scrape target serving `app_info`, whose labels carry credentials as a careless exporter's would. */
export async function startLeakyExporter(): Promise<LeakyExporter> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    const labels = `dsn="postgres://app:${C.metricUrlPassword}@db:5432/app",auth_header="Bearer ${C.metricBearer}",api_token="${C.metricApiToken}",version="1.2.3"`;
    res.end(`# TYPE app_info gauge\napp_info{${labels}} 1\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    target: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      // Prometheus keeps its scrape connection alive; close would wait for it.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until check returns something, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Waits until Prometheus has scraped the leaky exporter at least twice, and returns what its own API says
 * about app_info. Twice: range queries end at a whole second, so a single sample newer than that second
 * would be seen by an instant query but not yet by a range query.
 */
export async function waitForLeakyMetric(prometheusUrl: string): Promise<string> {
  await eventually(async () => {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('count_over_time(app_info[1m]) >= 2')}`);
    const body = (await response.json()) as { data?: { result?: unknown[] } };
    return (body.data?.result?.length ?? 0) > 0 ? true : undefined;
  });
  return await eventually(async () => {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=app_info`);
    const body = await response.text();
    return body.includes(C.metricApiToken) ? body : undefined;
  });
}

/**
 * Posts one firing alert to Alertmanager (v2 API) with canaries in a label value and in two annotations,
 * and waits until Alertmanager lists it; returns that listing (raw JSON text).
 */
export async function postCanaryAlert(alertmanagerUrl: string, { alertname }: { alertname: string }): Promise<string> {
  const posted = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname, severity: 'critical', namespace: 'shop', api_token: C.alertLabelToken },
        annotations: {
          summary: `checkout is down; Authorization: Bearer ${C.alertAnnotationBearer}`,
          description: `cannot reach postgres://checkout:${C.alertAnnotationUrlPassword}@db:5432/orders`,
        },
        startsAt: new Date().toISOString(),
        generatorURL: 'http://prometheus.example/graph',
      },
    ]),
  });
  assert.equal(posted.status, 200, await posted.text());
  const filter = encodeURIComponent(`alertname="${alertname}"`);
  return await eventually(async () => {
    const body = await (await fetch(`${alertmanagerUrl}/api/v2/alerts?filter=${filter}`)).text();
    return body.includes(alertname) ? body : undefined;
  });
}

/** The real MCP role with write tools on, wired to real Prometheus and Alertmanager and the fake Grafana. */
export function startMonitoringMcp({
  kubeconfigPath,
  prometheusUrl,
  alertmanagerUrl,
  grafana,
}: {
  kubeconfigPath: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  grafana: FakeGrafanaApi;
}): Promise<TestMcpServer> {
  return startMcpServerForTest({
    kubeconfigPath,
    config: {
      MCP_ENABLE_WRITE_TOOLS: true,
      PROMETHEUS_URL: prometheusUrl,
      ALERTMANAGER_URL: alertmanagerUrl,
      GRAFANA_URL: grafana.url,
      GRAFANA_TOKEN: grafana.token,
    },
  });
}
