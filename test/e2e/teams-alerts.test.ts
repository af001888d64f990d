import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeBotConnector, FakeTeamsMessage } from '../../dev/fakes/fake-bot-connector.ts';
import type { MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { BOT, CHANNEL, TENANT, messageActivity } from '../../dev/fakes/teams-activities.ts';
import { postActivity, waitForTeamsAnswers } from '../../dev/fakes/teams-fakes.ts';
import { startAlertingOnToggle, startGaugeToggle, waitUntil, webhookNotifications, type GaugeToggle } from './alert-rule-toggle.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';

const ALERTS_TOKEN = 'alerts-teams-e2e-token-91c3-0123456789';
const INVESTIGATION = 'Findings: checkout restarted 5 times after the database password rotated.';
/** Only the investigation rule: the destination is ALERTS_TEAMS_CONVERSATION (no route matches). */
const POLICY = `
alerts:
  investigate:
    - severity: [critical]
`;

describe('Alert threads in Teams: real Prometheus and Alertmanager → gateway → one reply chain in a Teams channel', () => {
  let stack: Stack;
  let connector: FakeBotConnector;
  let prometheus: MonitoringServer;
  let alertmanager: MonitoringServer;
  let toggle: GaugeToggle;
  let root: FakeTeamsMessage;
  const chain = () => `${CHANNEL};messageid=${root.id}`;
  /** New posts in the channel itself (not in a reply chain): alert roots. */
  const roots = () => connector.messages(CHANNEL);

  before(async () => {
    toggle = await startGaugeToggle(1);
    const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-teams-alerts-e2e-')), 'policy.yaml');
    writeFileSync(policy, POLICY);
    stack = await startStack({
      teams: { auth: true },
      // No timeline of changes here (test/e2e/alert-incidents.test.ts has it): these tests count the chain's answers.
      env: { ALERTS_TOKEN, AI4K8S_POLICY: policy, ALERT_TIMELINE_MINUTES: '0' },
      // The shortest conversation reference (no conversationType: a channel), as the setting's error message names it.
      teamsEnv: (teams) => ({
        ALERTS_TEAMS_CONVERSATION: JSON.stringify({
          serviceUrl: teams.connector.url,
          teamId: TENANT,
          channel: CHANNEL,
          bot: { id: BOT.id },
        }),
      }),
    });
    connector = stack.teams?.connector as FakeBotConnector;
  });
  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await stack?.stop();
    await toggle?.stop();
  });

  it('a rule firing in Prometheus opens one new post in the channel with status, severity, summary and links, and the investigation lands in its reply chain', async () => {
    stack.model.script({ content: [text(INVESTIGATION)] });
    ({ alertmanager, prometheus } = await startAlertingOnToggle({ gatewayUrl: stack.gatewayUrl, alertsToken: ALERTS_TOKEN, toggle }));
    root = await connector.waitFor(() => roots()[0], 30_000);
    assert.equal(root.replyToId, undefined);
    assert.equal(root.activity.textFormat, 'markdown');
    assert.match(root.text, /FIRING/);
    assert.match(root.text, /CheckoutErrorRateHigh/);
    assert.match(root.text, /critical/);
    assert.match(root.text, /Checkout error rate is above 5%/);
    assert.ok(root.text.includes(`${prometheus.url}/graph?g0.expr=`), `generator link in ${root.text}`);
    assert.ok(root.text.includes(`${alertmanager.url}/#/silences/new?filter=`), `silence link in ${root.text}`);
    assert.ok(
      connector.calls.every((c) => c.status < 300),
      'every connector call was authorised',
    );

    const [answer] = await waitForTeamsAnswers(connector, chain(), 1);
    assert.match(answer?.text ?? '', /database password rotated/);
    const seen = JSON.stringify(stack.model.requests[0]?.body.messages);
    assert.ok(seen.includes('Investigate the alert described at the start of this thread'), seen);
    assert.ok(seen.includes('name: CheckoutErrorRateHigh'), seen);
  });

  it('repeated notifications of the unchanged group open no second post and leave the root as it is', async () => {
    await waitUntil(async () => (await webhookNotifications(alertmanager.url)) >= 2, 15_000, 'a repeated notification');
    await sleep(1_000);
    assert.equal(roots().length, 1);
    assert.equal(roots()[0]?.edits.length, 0);
    assert.equal(
      connector.calls.filter((c) => c.method === 'PUT' && c.activityId === root.id).length,
      0,
      'no update of an unchanged group',
    );
    assert.equal(stack.model.requests.length, 1, 'no second investigation');
  });

  it('a follow-up in the reply chain, without a mention, reaches the model with the alert in context', async () => {
    stack.model.script({ content: [text('The checkout pods fail their database connections.')] });
    const before = stack.model.requests.length;
    const response = await postActivity(
      stack.gatewayUrl,
      messageActivity({ serviceUrl: connector.url, text: 'why?', rootId: root.id, mention: false }),
      `Bearer ${stack.teams?.auth?.channelToken({ serviceUrl: connector.url }) ?? ''}`,
    );
    assert.equal(response.status, 202, 'the bot takes part in the alert thread');
    const [request] = (await stack.model.waitForRequests(before + 1, 20_000)).slice(before);
    const seen = JSON.stringify(request?.body.messages);
    for (const expected of [
      'CheckoutErrorRateHigh',
      'Checkout error rate is above 5%',
      'ai4k8s_test_toggle > 0',
      'database password rotated',
    ]) {
      assert.ok(seen.includes(expected), `the model should see ${expected} in ${seen}`);
    }
    const answers = await waitForTeamsAnswers(connector, chain(), 2);
    assert.match(answers.at(-1)?.text ?? '', /database connections/);
  });

  it('when the rule stops firing, the root activity is updated in place (PUT) to resolved and a line is added in the chain', async () => {
    toggle.set(0);
    const updated = await connector.waitFor(() => {
      const current = roots().find((m) => m.id === root.id);
      return current !== undefined && /RESOLVED/.test(current.text) ? current : undefined;
    }, 30_000);
    assert.doesNotMatch(updated.text, /FIRING/);
    assert.ok(updated.edits.some((e) => /FIRING/.test(e.text)));
    const put = connector.calls.find((c) => c.method === 'PUT' && c.activityId === root.id);
    assert.ok(put !== undefined && put.status === 200, 'the root was updated with PUT …/activities/{id}');
    const line = await connector.waitFor(() => connector.messages(chain()).find((m) => /Resolved/.test(m.text)), 5_000);
    assert.match(line.text, /CheckoutErrorRateHigh/);
    assert.equal(roots().length, 1);
  });
});
