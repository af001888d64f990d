import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAlertmanager, startPrometheus } from '../../dev/services/monitoring-stack.ts';

/**
 * A rule on a gauge the test serves itself: set to 1 it fires, set to 0 it resolves. Shared by the
 * alert-thread tests of every platform (test/e2e/alerts.test.ts, test/e2e/teams-alerts.test.ts).
 */
export const TOGGLE_RULES = `
groups:
  - name: e2e
    rules:
      - alert: CheckoutErrorRateHigh
        expr: ai4k8s_test_toggle > 0
        for: 0s
        labels: { severity: critical, namespace: shop, team: payments }
        annotations:
          summary: Checkout error rate is above 5%
          description: The checkout service returns 5xx for more than 5% of requests.
`;

export interface GaugeToggle {
  /** The scrape target (`host:port`) to give Prometheus. */
  target: string;
  set(value: number): void;
  stop(): Promise<void>;
}

/** Serves `ai4k8s_test_toggle` on loopback, starting at `initial`. */
export async function startGaugeToggle(initial = 1): Promise<GaugeToggle> {
  let value = initial;
  const server = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`# TYPE ai4k8s_test_toggle gauge\nai4k8s_test_toggle ${value}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    set: (next) => {
      value = next;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `alertmanager_notifications_total{integration="webhook"}` from Alertmanager's own metrics. */
export async function webhookNotifications(alertmanagerUrl: string): Promise<number> {
  const metrics = await (await fetch(`${alertmanagerUrl}/metrics`)).text();
  const line = metrics.split('\n').find((l) => l.startsWith('alertmanager_notifications_total{') && l.includes('integration="webhook"'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Real Alertmanager posting to the gateway's webhook with short intervals (it re-sends an unchanged group
 * every 2 s), and real Prometheus evaluating TOGGLE_RULES against the toggle and notifying it.
 */
export async function startAlertingOnToggle({
  gatewayUrl,
  alertsToken,
  toggle,
}: {
  gatewayUrl: string;
  alertsToken: string;
  toggle: GaugeToggle;
}) {
  const alertmanager = await startAlertmanager({
    webhookUrl: `${gatewayUrl}/alerts/alertmanager`,
    bearerToken: alertsToken,
    groupWaitSeconds: 1,
    groupIntervalSeconds: 1,
    repeatIntervalSeconds: 2,
  });
  const prometheus = await startPrometheus({ rules: TOGGLE_RULES, alertmanagerUrl: alertmanager.url, extraScrapeTargets: [toggle.target] });
  return { alertmanager, prometheus };
}
