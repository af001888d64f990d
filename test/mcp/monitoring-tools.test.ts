import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connectMcpToolbox } from '../../src/agent/mcp-toolbox.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';
import { monitoringClients } from '../../src/monitoring/monitoring-clients.ts';
import { needsApproval } from '../../src/worker/approval-gate.ts';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { startFakeGrafanaApi, type FakeGrafanaApi } from '../../dev/fakes/fake-grafana-api.ts';
import { startAlertmanager, startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import {
  eventually,
  MONITORING_CANARIES,
  postCanaryAlert,
  startLeakyExporter,
  type LeakyExporter,
  startMonitoringMcp,
} from './monitoring-canaries.ts';
import { startMcpServerForTest, type TestMcpServer } from '../../dev/stack/start-mcp-server-for-test.ts';
import { callTool } from './write-support.ts';

const {
  metricUrlPassword: CANARY_URL_PASSWORD,
  metricBearer: CANARY_LABEL_TOKEN,
  alertAnnotationBearer: CANARY_BEARER,
} = MONITORING_CANARIES;

describe('monitoring tools against real Prometheus and Alertmanager', () => {
  let prometheus: MonitoringServer;
  let alertmanager: MonitoringServer;
  let grafana: FakeGrafanaApi;
  let mcp: TestMcpServer;
  let client: Client;
  let exporter: LeakyExporter;

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    exporter = await startLeakyExporter();
    [prometheus, alertmanager, grafana] = await Promise.all([
      startPrometheus({ extraScrapeTargets: [exporter.target] }),
      startAlertmanager(),
      startFakeGrafanaApi(),
    ]);
    mcp = await startMonitoringMcp({ kubeconfigPath, prometheusUrl: prometheus.url, alertmanagerUrl: alertmanager.url, grafana });
    client = await mcp.connect();
    // Prometheus scrapes itself every second: wait for a few samples, so a range ending at a whole second has data.
    await eventually(async () => {
      const r = await callTool(client, 'prometheus_query', { query: 'count_over_time(up{job="prometheus"}[1m]) >= 3' });
      return ((r.structured?.samples as unknown[] | undefined) ?? []).length > 0 ? true : undefined;
    });
  });
  after(async () => {
    await mcp?.stop();
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), grafana?.stop()]);
    await exporter?.stop();
  });

  it('offers the monitoring tools only when their backends are configured', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ['prometheus_query', 'prometheus_range_query', 'alerts_list', 'silence_create'])
      assert.ok(names.includes(name), name);
    assert.equal(tools.find((t) => t.name === 'silence_create')?.annotations?.readOnlyHint, false);
    assert.equal(tools.find((t) => t.name === 'prometheus_query')?.annotations?.readOnlyHint, true);
    const bare = allTools().map((t) => t.name);
    assert.ok(!bare.some((n) => n.startsWith('prometheus_') || n === 'alerts_list' || n === 'silence_create'));
    const promOnly = allTools({ monitoring: monitoringClients({ PROMETHEUS_URL: prometheus.url }) }).map((t) => t.name);
    assert.ok(promOnly.includes('prometheus_query') && !promOnly.includes('alerts_list'));
  });

  it('prometheus_query returns real data scraped by the test Prometheus', async () => {
    const result = await callTool(client, 'prometheus_query', { query: 'prometheus_build_info' });
    assert.equal(result.isError, false, result.text);
    assert.match(result.text, /prometheus_build_info\{.*version="\d+\.\d+/);
    const samples = result.structured?.samples as { labels: Record<string, string>; value: number }[];
    assert.equal(samples[0]?.value, 1);
    assert.equal(samples[0]?.labels.job, 'prometheus');
  });

  it('credentials in scraped label values are redacted from both query tools (canary)', async () => {
    const instant = await eventually(async () => {
      const r = await callTool(client, 'prometheus_query', { query: 'app_info' });
      return r.text.includes('version="1.2.3"') ? r : undefined;
    });
    const range = await callTool(client, 'prometheus_range_query', { query: 'app_info', range: '5m' });
    assert.match(range.text, /version="1\.2\.3"/);
    for (const result of [instant, range]) {
      const output = JSON.stringify(result);
      assert.ok(!output.includes(CANARY_URL_PASSWORD), `password leaked: ${output.slice(0, 400)}`);
      assert.ok(!output.includes(CANARY_LABEL_TOKEN), `token leaked: ${output.slice(0, 400)}`);
    }
    assert.match(instant.text, /\[redacted/);
    const snapshots = JSON.stringify(grafana.snapshots());
    assert.ok(
      snapshots.includes('app_info') && !snapshots.includes(CANARY_URL_PASSWORD) && !snapshots.includes(CANARY_LABEL_TOKEN),
      'credentials sent to Grafana',
    );
  });

  it('a bad PromQL query is a clear isError result', async () => {
    const result = await callTool(client, 'prometheus_query', { query: 'sum(rate(up[5m]' });
    assert.equal(result.isError, true);
    assert.match(result.text, /HTTP 400/);
    assert.match(result.text, /bad_data/);
    assert.match(result.text, /PromQL is invalid/);
    const range = await callTool(client, 'prometheus_range_query', { query: 'up{', range: '5m' });
    assert.equal(range.isError, true);
    assert.match(range.text, /bad_data/);
  });

  it('prometheus_range_query returns a bounded number of points, a summary and a Grafana snapshot of the window', async () => {
    const before = grafana.snapshots().length;
    const result = await callTool(client, 'prometheus_range_query', {
      query: 'vector(1) * on() group_left() max(up{job="prometheus"})',
      range: '1h',
      maxPoints: 20,
    });
    assert.equal(result.isError, false, result.text);
    const content = result.structured as {
      start: number;
      end: number;
      step: number;
      series: { points: [number, number][] }[];
      grafana: { kind: string; url: string; deleteUrl: string };
    };
    assert.equal(content.end - content.start, 3600);
    assert.equal(content.step, 300);
    assert.ok(content.series.length >= 1, result.text);
    for (const s of content.series) assert.ok(s.points.length >= 1 && s.points.length <= 20, `${s.points.length} points`);
    assert.match(result.text, /MIN\s+MAX\s+LAST\s+TREND/);
    // The snapshot: the fake Grafana got the queried series and time range embedded in the panel.
    assert.equal(grafana.snapshots().length, before + 1);
    const snapshot = grafana.snapshots().at(-1);
    const dashboard = snapshot?.dashboard as {
      time: { from: string; to: string };
      panels: { targets: { expr: string }[]; snapshotData: { fields: { name: string; values: number[] }[] }[] }[];
    };
    assert.equal(dashboard.time.from, new Date(content.start * 1000).toISOString());
    assert.equal(dashboard.time.to, new Date(content.end * 1000).toISOString());
    assert.equal(dashboard.panels[0]?.targets[0]?.expr, 'vector(1) * on() group_left() max(up{job="prometheus"})');
    const frame = dashboard.panels[0]?.snapshotData[0];
    assert.deepEqual(
      frame?.fields[0]?.values,
      content.series[0]?.points.map(([t]) => t * 1000),
    );
    assert.deepEqual(
      frame?.fields[1]?.values,
      content.series[0]?.points.map(([, v]) => v),
    );
    assert.ok((snapshot?.expires ?? 0) > 0, 'snapshot expires');
    assert.equal(content.grafana.kind, 'snapshot');
    assert.ok(result.text.includes(content.grafana.url), 'the link is in the text');
    assert.ok(!result.text.includes(content.grafana.deleteUrl), 'the delete URL is not shown to the model');
    assert.ok(!JSON.stringify(result).includes(grafana.token), 'GRAFANA_TOKEN never in a result');
  });

  it('range queries stay bounded for long ranges too', async () => {
    const result = await callTool(client, 'prometheus_range_query', { query: 'vector(2)', range: '30d', maxPoints: 50 });
    const content = result.structured as { step: number; series: { points: unknown[] }[] };
    assert.ok((content.series[0]?.points.length ?? 0) <= 50);
    assert.ok(content.step >= (30 * 86_400) / 49);
  });

  it('alerts_list lists an alert posted to the real Alertmanager, with annotations fenced and redacted', async () => {
    const alertname = `H6TestAlert${Date.now()}`;
    await postCanaryAlert(alertmanager.url, { alertname });
    const result = await eventually(async () => {
      const r = await callTool(client, 'alerts_list', { matchers: [`alertname="${alertname}"`] });
      return r.text.includes(alertname) ? r : undefined;
    });
    assert.equal(result.isError, false);
    assert.match(result.text, /active\s+critical/);
    assert.match(result.text, /namespace=shop/);
    assert.match(result.text, /UNTRUSTED DATA/);
    assert.match(result.text, /checkout is down/);
    assert.ok(!JSON.stringify(result).includes(CANARY_BEARER), 'credential in an annotation is redacted');
    const bad = await callTool(client, 'alerts_list', { matchers: ['alertname=~"('] });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /matcher/);
  });

  it('silence_create: a write tool that needs approval; the dry run creates nothing, applying creates the silence', async () => {
    const toolbox = await connectMcpToolbox({ url: mcp.url, token: mcp.token });
    try {
      assert.equal(needsApproval(toolbox, 'silence_create'), true);
      assert.equal(needsApproval(toolbox, 'alerts_list'), false);
    } finally {
      await toolbox.close();
    }
    const alertname = `H6Silenced${Date.now()}`;
    await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname, severity: 'warning' }, annotations: {}, startsAt: new Date().toISOString() }]),
    });
    await eventually(async () =>
      (await callTool(client, 'alerts_list', { matchers: [`alertname="${alertname}"`] })).text.includes(alertname) ? true : undefined,
    );
    const silences = async () =>
      (
        (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as {
          id: string;
          status: { state: string };
          matchers: { name: string; value: string }[];
        }[]
      ).filter((s) => s.matchers.some((m) => m.value === alertname));
    const args = { matchers: [{ name: 'alertname', value: alertname }], duration: '2h', comment: 'maintenance window' };
    const preview = await callTool(client, 'silence_create', args);
    assert.equal(preview.isError, false, preview.text);
    assert.match(preview.text, /^DRY RUN \(nothing changed\): silence alerts matching \{alertname="H6Silenced\d+"\} for 2h/);
    assert.match(preview.text, /1 alert firing now would be silenced/);
    assert.match(preview.text, /call silence_create again with the same arguments and dryRun: false/);
    assert.deepEqual(await silences(), [], 'the dry run created no silence');
    // Applied as the approval flow applies it: the preview's apply plan (defaults filled in), with a grant for it.
    const plan = preview.structured?.apply as { tool: string; arguments: Record<string, unknown>; context: string };
    assert.deepEqual(plan.arguments, {
      matchers: [{ name: 'alertname', value: alertname, isRegex: false, isEqual: true }],
      duration: '2h',
      comment: 'maintenance window',
    });
    const applied = await callTool(client, 'silence_create', { ...plan.arguments, dryRun: false }, { grant: mcp.grant(plan) });
    assert.equal(applied.isError, false, applied.text);
    assert.match(applied.text, /^APPLIED: /);
    const created = await silences();
    assert.equal(created.length, 1);
    assert.equal(created[0]?.status.state, 'active');
    assert.equal(applied.structured?.silenceId, created[0]?.id);
    const everything = {
      matchers: [{ name: 'alertname', value: '.*', isRegex: true, isEqual: true }],
      duration: '1h',
      comment: 'everything',
    };
    const bad = await callTool(
      client,
      'silence_create',
      { ...everything, dryRun: false },
      { grant: mcp.grant({ tool: 'silence_create', arguments: everything }) },
    );
    assert.equal(bad.isError, true, bad.text);
  });

  it('without MCP_ENABLE_WRITE_TOOLS, silence_create is not offered', async () => {
    const { kubeconfigPath } = await testCluster();
    const readOnly = await startMcpServerForTest({
      kubeconfigPath,
      config: { PROMETHEUS_URL: prometheus.url, ALERTMANAGER_URL: alertmanager.url },
    });
    try {
      const names = (await (await readOnly.connect()).listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('alerts_list') && !names.includes('silence_create'));
    } finally {
      await readOnly.stop();
    }
  });
});
