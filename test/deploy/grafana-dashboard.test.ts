import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Registry } from 'prom-client';
import { startHttpServer, type HttpServerHandle } from '../../src/http/start-http-server.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { observeAuditEvent, processMetrics } from '../../src/metrics/process-metrics.ts';
import type { CountedQueue } from '../../src/metrics/queue-metrics.ts';
import { roleMetrics } from '../../src/metrics/role-metrics.ts';
import { startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; refId: string }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../deploy/grafana/ai4k8s-dashboard.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string }[] };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

const idleQueue: CountedQueue = { name: 'chat', getJobCounts: () => Promise.resolve({ waiting: 1, active: 0 }), getWorkersCount: () => Promise.resolve(2) };

/** Every series name our registries expose (histograms as their _bucket/_sum/_count series). */
async function exposedNames(registries: Registry[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const registry of registries) {
    for (const metric of await registry.getMetricsAsJSON()) {
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
      else names.add(metric.name);
    }
  }
  return names;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or grouping. */
export function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings (label values, regexes)
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // grouping label lists
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length))) // a function call
    .map((m) => m[0])
    .filter((word) => !KEYWORDS.has(word.toLowerCase()));
}

/** Grafana's variables, as the dashboard would fill them. */
const asGrafanaSends = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m').replaceAll('$job', '.*');

describe('Grafana dashboard deploy/grafana/ai4k8s-dashboard.json', () => {
  const { registry: roleRegistry } = roleMetrics({ queues: [idleQueue] });

  it('is a dashboard with a stable uid, unique panel ids, a data source variable, and queries in every graph', () => {
    assert.equal(dashboard.uid, 'ai4k8s-overview');
    const ids = panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids repeat');
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource'));
    for (const panel of panels.filter((p) => p.type !== 'row')) assert.ok((panel.targets ?? []).length > 0, `${panel.title}: no query`);
    assert.ok(targets.length >= 15);
  });

  it('reads only metrics the code registers, and shows every ai4k8s metric somewhere', async () => {
    const exposed = await exposedNames([processMetrics().registry, roleRegistry]);
    const used = new Set<string>();
    for (const { panel, expr } of targets) {
      const names = metricNamesOf(expr);
      assert.ok(names.length > 0, `${panel}: no metric in ${expr}`);
      for (const name of names) {
        assert.ok(exposed.has(name), `${panel}: ${name} is not a registered metric (${expr})`);
        used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    const ours = [...exposed].filter((name) => name.startsWith('ai4k8s_')).map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    for (const name of new Set(ours)) assert.ok(used.has(name), `${name} is on no panel`);
  });

  it('metricNamesOf finds names and skips functions, labels and grouping (so the check above can fail)', () => {
    assert.deepEqual(metricNamesOf('sum by (tool, outcome) (rate(ai4k8s_tool_calls_total{job=~"$job",outcome="error"}[5m])) / on(tool) foo_bar'), [
      'ai4k8s_tool_calls_total',
      'foo_bar',
    ]);
  });

  describe('evaluated by a real Prometheus scraping our /metrics', () => {
    let prometheus: MonitoringServer;
    let server: HttpServerHandle;
    before(async () => {
      // Series exist only once their labels were seen: feed one of each kind of audit event.
      const context = { platform: 'slack', channel: 'C', user: 'U', jobId: 'j', cluster: 'default', at: new Date().toISOString() };
      const approval = { approval: 'abcd1234', tool: 'deployment_scale', arguments: {} };
      observeAuditEvent({ ...context, kind: 'tool_call', tool: 'pods_list', arguments: {}, result: 'error', durationMs: 30 });
      observeAuditEvent({ ...context, kind: 'answer', result: 'ok', durationMs: 2_000, usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 } });
      // Tokens are counted per model call (every call is audited as it returns), not from the answer.
      observeAuditEvent({ ...context, kind: 'model_call', result: 'ok', durationMs: 1_500, model: 'claude', step: 1, usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 } });
      observeAuditEvent({ ...context, ...approval, kind: 'approval_requested', result: 'ok', durationMs: 0 });
      observeAuditEvent({ ...context, kind: 'mcp_call_refused', result: 'error', durationMs: 0, tool: 'deployment_scale', arguments: {}, code: 'grant_missing', reason: 'no grant', token: 'bot' });
      const metrics = roleMetrics({ queues: [idleQueue] });
      server = await startHttpServer({ host: '127.0.0.1', port: 0, routes: metrics.routes, logger: createLogger({ level: 'silent' }), observe: metrics.observeRequest });
      prometheus = await startPrometheus({ extraScrapeTargets: [new URL(server.url).host] });
    });
    after(async () => {
      await prometheus.stop();
      await server.close();
    });

    const query = async (expr: string) => {
      const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    };

    it('every query parses and returns series', async () => {
      // Rates need two samples inside their window; the request counter appears from the second scrape on
      // (a scrape is counted once it is answered), so wait for its second sample.
      const deadline = Date.now() + 20_000;
      while (!(await twoSamples('ai4k8s_http_requests_total'))) {
        assert.ok(Date.now() < deadline, 'Prometheus did not scrape /metrics twice');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      for (const { panel, expr } of targets) {
        const answer = await query(asGrafanaSends(expr));
        assert.equal(answer.status, 'success', `${panel}: ${expr}: ${answer.error ?? ''}`);
        assert.ok((answer.data?.result.length ?? 0) > 0, `${panel}: no series for ${asGrafanaSends(expr)}`);
      }
    });

    async function twoSamples(metric: string): Promise<boolean> {
      const answer = await query(`count_over_time(${metric}[1m])`);
      const [first] = (answer.data?.result ?? []) as { value: [number, string] }[];
      return Number(first?.value[1] ?? 0) >= 2;
    }
  });
});
