import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { startFakeGrafanaApi, type FakeGrafanaApi } from '../../dev/fakes/fake-grafana-api.ts';
import { pngSize } from '../graphs/png-size.ts';
import { startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { untilScraped } from './until-scraped.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';

const QUERY = 'up{job="prometheus"}';

describe('metrics questions end to end: Grafana snapshot link and a PNG graph in the thread', () => {
  let prometheus: MonitoringServer;
  let grafana: FakeGrafanaApi;
  let stack: Stack;

  before(async () => {
    [prometheus, grafana] = await Promise.all([startPrometheus(), startFakeGrafanaApi()]);
    stack = await startStack({ env: { PROMETHEUS_URL: prometheus.url, GRAFANA_URL: grafana.url, GRAFANA_TOKEN: grafana.token } });
    await untilScraped(prometheus, QUERY);
  });
  after(async () => {
    await stack?.stop();
    await Promise.all([prometheus?.stop(), grafana?.stop()]);
  });

  it('the model calls prometheus_range_query: the answer carries the snapshot link and the graph is uploaded into the thread', async () => {
    let secondRequest: MessagesRequest | undefined;
    stack.model.script(
      { content: [text('Checking.'), toolUse('prometheus_range_query', { query: QUERY, range: '10m', maxPoints: 60 })] },
      (request) => {
        secondRequest = request;
        return { content: [text('Prometheus was **up** for the whole window.')] };
      },
    );
    const question = 'was prometheus up in the last 10 minutes?';
    assert.equal((await stack.slashCommand({ text: question, userId: 'U0ALICE001' })).status, 200);
    const { root, replies } = await waitForAnswer(stack.slack, question, 30_000);

    // Grafana got one snapshot holding the queried series over the queried window.
    const [snapshot] = grafana.snapshots();
    assert.equal(grafana.snapshots().length, 1);
    const dashboard = snapshot?.dashboard as {
      time: { from: string; to: string };
      panels: { targets: { expr: string }[]; snapshotData: { fields: { values: number[]; labels?: Record<string, string> }[] }[] }[];
    };
    const from = Date.parse(dashboard.time.from);
    const to = Date.parse(dashboard.time.to);
    assert.equal(to - from, 600_000);
    assert.equal(dashboard.panels[0]?.targets[0]?.expr, QUERY);
    const frame = dashboard.panels[0]?.snapshotData[0];
    assert.equal(frame?.fields[1]?.labels?.job, 'prometheus');
    const times = frame?.fields[0]?.values ?? [];
    assert.ok(times.length > 0 && times.length <= 60, `${times.length} points`);
    assert.ok(times.every((t) => t >= from && t <= to));
    assert.ok((frame?.fields[1]?.values ?? []).every((v) => v === 1));

    // The link is in the answer (added by the worker, not left to the model); the delete URL and the token are nowhere.
    const snapshotUrl = `${grafana.url}/dashboard/snapshot/${snapshot?.key ?? ''}`;
    const answer = replies.map((r) => JSON.stringify(r)).join('\n');
    assert.ok(answer.includes(snapshotUrl), `snapshot link missing from ${answer}`);
    assert.match(replies[0]?.text ?? '', /Prometheus was \*up\*/);
    const modelSaw = toolResultsOf(secondRequest ?? {})[0]?.text ?? '';
    assert.match(modelSaw, /MIN\s+MAX\s+LAST\s+TREND/);
    assert.ok(modelSaw.includes(snapshotUrl));
    const everything = JSON.stringify(stack.model.requests) + JSON.stringify(stack.slack.calls);
    assert.ok(!everything.includes(snapshot?.deleteKey ?? '-'), 'the delete key left the audit log');
    assert.ok(!everything.includes(grafana.token), 'GRAFANA_TOKEN leaked');

    // A PNG of the expected size, uploaded into the question's thread.
    const file = await stack.slack.waitFor(
      (s) => s.files().find((f) => f.completedAt !== undefined && f.filename.endsWith('.png')),
      20_000,
    );
    assert.equal(file.threadTs, root.ts);
    assert.equal(file.channel, root.channel);
    assert.deepEqual(pngSize(file.bytes ?? Buffer.alloc(0)), { width: 800, height: 400 });
    assert.equal(file.title, QUERY);

    // The delete URL is kept in the audit log.
    const { events } = await readAudit(stack.redis, stack.prefix);
    const kept = events.find((e) => e.kind === 'grafana_snapshot');
    assert.ok(kept !== undefined && kept.kind === 'grafana_snapshot');
    assert.equal(kept.deleteUrl, `${grafana.url}/api/snapshots-delete/${snapshot?.deleteKey ?? ''}`);
    assert.equal(kept.url, snapshotUrl);
  });
});
