import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertChangeText, alertRootText, generatorQuery, silenceUrl } from '../../src/alerts/alert-text.ts';
import { notification } from './notification-fixture.ts';

describe('alert thread texts', () => {
  it('takes the rule query from the generator URL', () => {
    assert.equal(generatorQuery('http://prom:9090/graph?g0.expr=rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29+%3E+0.05&g0.tab=1'), 'rate(http_requests_total{code=~"5.."}[5m]) > 0.05');
    assert.equal(generatorQuery('not a url'), undefined);
    assert.equal(generatorQuery('http://prom:9090/graph'), undefined);
  });

  it('builds a silence link from the common labels, quoting values', () => {
    const url = silenceUrl(notification({ externalURL: 'http://am:9093/', commonLabels: { alertname: 'A', path: 'say "hi"\\' } }));
    assert.ok(url !== undefined);
    assert.ok(url.startsWith('http://am:9093/#/silences/new?filter='));
    assert.equal(decodeURIComponent(url.split('filter=')[1] ?? ''), '{alertname="A",path="say \\"hi\\"\\\\"}');
    assert.equal(silenceUrl(notification({ externalURL: '' })), undefined);
  });

  it('lists the alerts of a larger group with the labels that tell them apart', () => {
    const alert = (instance: string, status: 'firing' | 'resolved') => ({
      status, labels: { alertname: 'NodeDown', severity: 'warning', instance }, annotations: {}, startsAt: '2026-11-25T10:00:00Z',
    });
    const text = alertRootText(
      notification({
        groupLabels: { alertname: 'NodeDown' },
        commonLabels: { alertname: 'NodeDown', severity: 'warning' },
        commonAnnotations: {},
        alerts: [alert('node-1', 'firing'), alert('node-2', 'resolved'), ...['3', '4', '5', '6', '7'].map((n) => alert(`node-${n}`, 'firing'))],
      }),
    );
    assert.match(text, /FIRING\*\* · \*\*NodeDown\*\* · severity `warning` · 6 firing, 1 resolved/);
    assert.match(text, /🔥 instance="node-1"/);
    assert.match(text, /✅ instance="node-2"/);
    assert.doesNotMatch(text, /node-6/);
    assert.match(text, /… and 2 more/);
    assert.match(alertChangeText(notification({ status: 'resolved' })), /Resolved .*the alert of \*\*Always\*\* ended/);
  });
});
