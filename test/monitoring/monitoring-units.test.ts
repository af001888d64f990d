import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  MonitoringBadRequestError,
  MonitoringServerError,
  MonitoringUnauthorizedError,
  MonitoringUnreachableError,
} from '../../src/monitoring/errors.ts';
import { grafanaClient } from '../../src/monitoring/grafana-client.ts';
import { dashboardLink, exploreLink } from '../../src/monitoring/grafana-links.ts';
import { parseTime } from '../../src/monitoring/parse-time.ts';
import { pointsIn, rangeStep } from '../../src/monitoring/range-step.ts';
import { requestJson } from '../../src/monitoring/request-json.ts';
import { snapshotDashboard } from '../../src/monitoring/snapshot-dashboard.ts';
import { formatValue } from '../../src/contract/format-value.ts';
import { summarizeSeries } from '../../src/monitoring/summarize-series.ts';
import { grafanaLinkFor } from '../../src/mcp/toolsets/monitoring/grafana-link-for.ts';
import { matcherText } from '../../src/mcp/toolsets/monitoring/silences.ts';
import { startFakeGrafanaApi } from '../../dev/fakes/fake-grafana-api.ts';
import { freePort } from '../../dev/support/free-port.ts';

/** A loopback server answering from a script of responses, counting requests. */
async function scripted(responses: { status: number; body: string; headers?: Record<string, string> }[]) {
  let calls = 0;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    const next = responses[Math.min(calls, responses.length - 1)] ?? { status: 500, body: '' };
    calls += 1;
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    res.end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('rangeStep: a bounded number of points whatever the range', () => {
  it('never exceeds maxPoints and picks a nice step', () => {
    for (const [span, maxPoints] of [
      [3600, 120],
      [3600, 20],
      [86_400 * 31, 500],
      [60, 10],
      [7 * 86_400, 11],
      [90_000, 100],
    ] as const) {
      const step = rangeStep({ start: 0, end: span, maxPoints });
      assert.ok(pointsIn({ start: 0, end: span, step }) <= maxPoints, `${span}s / ${maxPoints} points → step ${step}`);
      assert.ok(step >= 1);
    }
    assert.equal(rangeStep({ start: 0, end: 3600, maxPoints: 121 }), 30);
    assert.equal(rangeStep({ start: 0, end: 3600, maxPoints: 20 }), 300);
  });
});

describe('requestJson: coded errors, 4xx not retried, 429/5xx retried honouring Retry-After', () => {
  it('retries a 503 after its Retry-After and returns the later success', async () => {
    const server = await scripted([
      { status: 503, body: '{"message":"busy"}', headers: { 'retry-after': '1' } },
      { status: 200, body: '{"ok":true}' },
    ]);
    try {
      const started = Date.now();
      assert.deepEqual(await requestJson({ service: 'grafana', baseUrl: server.url, path: '/x' }), { ok: true });
      assert.equal(server.calls(), 2);
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    } finally {
      await server.stop();
    }
  });

  it('does not retry a 400 and keeps Prometheus errorType', async () => {
    const server = await scripted([
      { status: 400, body: '{"status":"error","errorType":"bad_data","error":"parse error: unexpected \\")\\""}' },
    ]);
    try {
      const error = await requestJson({ service: 'prometheus', baseUrl: server.url, path: '/api/v1/query' }).catch((e: unknown) => e);
      assert.ok(error instanceof MonitoringBadRequestError);
      assert.equal(error.errorType, 'bad_data');
      assert.match(error.message, /parse error/);
      assert.equal(server.calls(), 1);
    } finally {
      await server.stop();
    }
  });

  it('gives up on 429 with a Retry-After beyond the cap, and on 5xx after the retries', async () => {
    const limited = await scripted([{ status: 429, body: '', headers: { 'retry-after': '120' } }]);
    const failing = await scripted([{ status: 502, body: 'bad gateway' }]);
    try {
      await assert.rejects(
        requestJson({ service: 'alertmanager', baseUrl: limited.url, path: '/' }),
        (e: unknown) => e instanceof MonitoringServerError && e.retryAfterMs === 120_000,
      );
      assert.equal(limited.calls(), 1);
      await assert.rejects(requestJson({ service: 'alertmanager', baseUrl: failing.url, path: '/', retries: 2 }), MonitoringServerError);
      assert.equal(failing.calls(), 3);
    } finally {
      await limited.stop();
      await failing.stop();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const port = await freePort();
    await assert.rejects(
      requestJson({ service: 'prometheus', baseUrl: `http://127.0.0.1:${port}`, path: '/', retries: 0 }),
      MonitoringUnreachableError,
    );
  });
});

describe('Grafana snapshots and links', () => {
  it('creates a snapshot with the bearer token; a wrong token is a coded 401 that does not echo the token', async () => {
    const grafana = await startFakeGrafanaApi();
    try {
      const dashboard = snapshotDashboard({
        title: 't',
        query: 'up',
        series: [
          {
            labels: { __name__: 'up', job: 'x' },
            points: [
              [100, 1],
              [160, 0],
            ],
          },
        ],
        start: 100,
        end: 160,
        step: 60,
      });
      const snapshot = await grafanaClient({ url: grafana.url, token: grafana.token }).createSnapshot({
        dashboard,
        name: 'n',
        expires: 60,
      });
      assert.match(snapshot.url, /\/dashboard\/snapshot\//);
      assert.match(snapshot.deleteUrl, /\/api\/snapshots-delete\//);
      assert.equal(grafana.requests[0]?.headers.authorization, `Bearer ${grafana.token}`);
      const stored = (await (await fetch(`${grafana.url}/api/snapshots/${snapshot.key}`)).json()) as {
        dashboard: { panels: { snapshotData: { fields: { values: number[] }[] }[] }[] };
      };
      assert.deepEqual(stored.dashboard.panels[0]?.snapshotData[0]?.fields[1]?.values, [1, 0]);
      assert.deepEqual(stored.dashboard.panels[0]?.snapshotData[0]?.fields[0]?.values, [100_000, 160_000]);

      const wrong = 'glsa_wrongTokenThatMustNotLeak_999';
      const error = await grafanaClient({ url: grafana.url, token: wrong })
        .createSnapshot({ dashboard, name: 'n', expires: 60 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof MonitoringUnauthorizedError);
      assert.match(error.message, /invalid API key/);
      assert.ok(!error.message.includes(wrong) && !JSON.stringify(error).includes(wrong));
    } finally {
      await grafana.stop();
    }
  });

  it('falls back to an Explore link without a token, with the query and range and no credentials', async () => {
    const link = await grafanaLinkFor({
      monitoring: { grafanaUrl: 'https://grafana.example.com/' },
      query: 'rate(http_requests_total{namespace="shop"}[5m])',
      series: [{ labels: {}, points: [[1, 1]] }],
      start: 1_700_000_000,
      end: 1_700_003_600,
      step: 30,
    });
    assert.equal(link?.kind, 'explore');
    const url = new URL(link?.url ?? '');
    const panes = JSON.parse(url.searchParams.get('panes') ?? '{}') as {
      a: { queries: { expr: string }[]; range: { from: string; to: string } };
    };
    assert.equal(panes.a.queries[0]?.expr, 'rate(http_requests_total{namespace="shop"}[5m])');
    assert.deepEqual(panes.a.range, { from: '1700000000000', to: '1700003600000' });
    const creds = exploreLink({ grafanaUrl: 'https://admin:hunter2secret@grafana.example.com/sub/', query: 'up', start: 0, end: 1 });
    assert.ok(!creds.includes('hunter2secret') && creds.startsWith('https://grafana.example.com/sub/explore?'), creds);
    const dash = new URL(
      dashboardLink({ grafanaUrl: 'https://grafana.example.com', uid: 'k8s-pods', start: 10, end: 20, labels: { namespace: 'shop' } }),
    );
    assert.equal(dash.pathname, '/d/k8s-pods');
    assert.equal(dash.searchParams.get('var-namespace'), 'shop');
    assert.equal(dash.searchParams.get('from'), '10000');
  });

  it('a failed snapshot falls back to Explore instead of failing the query', async () => {
    const grafana = await startFakeGrafanaApi();
    try {
      const link = await grafanaLinkFor({
        monitoring: { grafanaUrl: grafana.url, grafana: grafanaClient({ url: grafana.url, token: 'wrong-token-value' }) },
        query: 'up',
        series: [{ labels: {}, points: [[1, 1]] }],
        start: 0,
        end: 60,
        step: 15,
      });
      assert.equal(link?.kind, 'explore');
      assert.match(link?.kind === 'explore' ? (link.snapshotError ?? '') : '', /HTTP 401/);
    } finally {
      await grafana.stop();
    }
  });
});

describe('small helpers', () => {
  it('summarizeSeries: min/max/last/trend', () => {
    const rising = summarizeSeries({ labels: {}, points: Array.from({ length: 9 }, (_, i) => [i, i] as [number, number]) });
    assert.deepEqual(rising, { min: 0, max: 8, last: 8, trend: 'rising' });
    assert.equal(
      summarizeSeries({
        labels: {},
        points: [
          [0, 5],
          [1, 5],
          [2, 5],
          [3, 5],
        ],
      }).trend,
      'flat',
    );
    assert.equal(
      summarizeSeries({
        labels: {},
        points: [
          [0, 9],
          [1, 5],
          [2, 1],
        ],
      }).trend,
      'falling',
    );
    assert.equal(formatValue(1_234_567), '1.235M');
    assert.equal(formatValue(0.000123456), '0.0001235');
  });

  it('parseTime and matcherText', () => {
    assert.equal(parseTime('now', 1000), 1000);
    assert.equal(parseTime('now-5m', 1000), 700);
    assert.equal(parseTime('2026-01-01T00:00:00Z'), Date.UTC(2026, 0, 1) / 1000);
    assert.equal(parseTime('yesterday'), undefined);
    assert.equal(matcherText({ name: 'alertname', value: 'X', isRegex: false, isEqual: true }), 'alertname="X"');
    assert.equal(matcherText({ name: 'ns', value: 'a|b', isRegex: true, isEqual: false }), 'ns!~"a|b"');
    assert.equal(matcherText({ name: 'ns', value: 'a', isRegex: false, isEqual: false }), 'ns!="a"');
  });
});
