import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAlertRoutes, routeAlert } from '../../src/alerts/alert-routes.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';
import { notification } from '../../dev/fakes/notification-fixture.ts';

const alertsOf = (path: string) => loadPolicy(path).alerts;

const policyFile = (yaml: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-alert-policy-')), 'policy.yaml');
  writeFileSync(path, yaml);
  return path;
};

const POLICY = `
identities:
  unmapped: refuse
alerts:
  routes:
    - labels: { namespace: shop }
      slackChannel: C0SHOP0001
      continue: true
    - receiver: ai4k8s
      labels: { severity: critical }
      slackChannel: C0PAGE0001
    - receiver: ai4k8s
      slackChannel: C0OTHER001
  investigate:
    - severity: [critical]
    - labels: { team: payments }
`;

const shop = (labels: Record<string, string>, status = 'firing') =>
  notification({ status, commonLabels: labels, alerts: [{ status, labels, annotations: {}, startsAt: '2026-11-25T10:00:00Z' }] });

describe('alert routes (policy `alerts:` and the ALERTS_* fallback)', () => {
  it('routes in order: the first match wins unless it says continue', () => {
    const routes = loadAlertRoutes({ policy: alertsOf(policyFile(POLICY)), slackChannel: 'C0FALLBACK', teamsConversation: undefined });
    const channels = (n: ReturnType<typeof shop>) => routeAlert(routes, n).destinations.map((d) => d.channel);
    assert.deepEqual(channels(shop({ alertname: 'A', namespace: 'shop', severity: 'critical' })), ['C0SHOP0001', 'C0PAGE0001']);
    assert.deepEqual(channels(shop({ alertname: 'A', namespace: 'shop', severity: 'warning' })), ['C0SHOP0001', 'C0OTHER001']);
    assert.deepEqual(channels(shop({ alertname: 'A', severity: 'critical' })), ['C0PAGE0001']);
    // Another receiver matches no route: the fallback channel.
    assert.deepEqual(channels(notification({ receiver: 'other', commonLabels: { alertname: 'A' } })), ['C0FALLBACK']);
  });

  it('investigates a firing group by severity or labels, never a resolved one', () => {
    const routes = loadAlertRoutes({ policy: alertsOf(policyFile(POLICY)), slackChannel: undefined, teamsConversation: undefined });
    assert.equal(routeAlert(routes, shop({ alertname: 'A', severity: 'critical' })).investigate, true);
    assert.equal(routeAlert(routes, shop({ alertname: 'A', severity: 'warning', team: 'payments' })).investigate, true);
    assert.equal(routeAlert(routes, shop({ alertname: 'A', severity: 'warning' })).investigate, false);
    assert.equal(routeAlert(routes, shop({ alertname: 'A', severity: 'critical' }, 'resolved')).investigate, false);
  });

  it('without a policy, everything goes to ALERTS_SLACK_CHANNEL (and a Teams conversation reference)', () => {
    const teams = {
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      teamId: 'tenant-1',
      channel: '19:abc@thread.tacv2',
      bot: { id: '28:bot' },
    };
    const routes = loadAlertRoutes({ policy: undefined, slackChannel: 'C0ALERTS01', teamsConversation: JSON.stringify(teams) });
    const routing = routeAlert(routes, notification());
    assert.deepEqual(routing.destinations, [
      { platform: 'slack', channel: 'C0ALERTS01' },
      { platform: 'teams', ...teams },
    ]);
    assert.equal(routing.investigate, false);
    assert.deepEqual(
      routeAlert(loadAlertRoutes({ policy: undefined, slackChannel: undefined, teamsConversation: undefined }), notification())
        .destinations,
      [],
    );
  });

  it('fails on a channel name, an unknown key or a bad Teams reference, naming the setting', () => {
    const fails = (options: Parameters<typeof loadAlertRoutes>[0], pattern: RegExp) =>
      assert.throws(
        () => loadAlertRoutes(options),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      );
    fails(
      { policy: undefined, slackChannel: '#alerts', teamsConversation: undefined },
      /ALERTS_SLACK_CHANNEL: expected a Slack channel id/,
    );
    fails({ policy: undefined, slackChannel: undefined, teamsConversation: '{"serviceUrl":"nope"}' }, /ALERTS_TEAMS_CONVERSATION/);
    fails({ policy: undefined, slackChannel: undefined, teamsConversation: 'not json' }, /ALERTS_TEAMS_CONVERSATION/);
    // The policy's alerts section is checked with the whole file, by loadPolicy (loadConfig calls it for every role).
    const badPolicy = (yaml: string, pattern: RegExp) =>
      assert.throws(
        () => loadPolicy(policyFile(yaml)),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      );
    badPolicy('alerts:\n  routes:\n    - slack: C0SHOP0001\n', /alerts\.routes\.0/);
    badPolicy('alerts:\n  routes:\n    - slackChannel: "#shop"\n', /alerts\.routes\.0\.slackChannel/);
  });
});

describe('deploy/policy.example.yaml', () => {
  it('its alerts section is valid and routes as its comments say', () => {
    const routes = loadAlertRoutes({
      policy: alertsOf(join(import.meta.dirname, '../../deploy/policy.example.yaml')),
      slackChannel: undefined,
      teamsConversation: undefined,
    });
    const routing = routeAlert(routes, shop({ alertname: 'A', namespace: 'payments', severity: 'critical' }));
    assert.deepEqual(
      routing.destinations.map((d) => d.channel),
      ['C0PAYMENTS1', 'C0ONCALL01'],
    );
    assert.equal(routing.investigate, true);
  });
});
