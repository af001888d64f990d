import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALERT_QUEUE } from '../../src/queue/alert-queue.ts';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackMessage } from '../../dev/fakes/fake-slack-api.ts';
import type { MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../../dev/support/slack-requests.ts';
import {
  startAlertingOnToggle,
  startGaugeToggle,
  waitUntil as waitFor,
  webhookNotifications,
  type GaugeToggle,
} from './alert-rule-toggle.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { waitForThreadAnswers } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

const ALERTS_TOKEN = 'alerts-e2e-token-4d1a-0123456789abcdef';
const ALERT_CHANNEL = 'C0ALERTS01';
const FALLBACK_CHANNEL = 'C0FALLBK01';
const INVESTIGATION = 'Findings: checkout restarted 5 times in 10 minutes after the database password rotated.';

/** The policy's alerts section: shop alerts to their channel, critical ones investigated. */
const POLICY = `
alerts:
  routes:
    - labels: { namespace: shop }
      slackChannel: ${ALERT_CHANNEL}
  investigate:
    - severity: [critical]
`;
const ALICE = 'U0ALICE001';
const MEMORY_BUDGET = 3_000;

describe('Alert threads: real Prometheus and Alertmanager → gateway → one Slack thread', () => {
  let stack: Stack;
  let prometheus: MonitoringServer;
  let alertmanager: MonitoringServer;
  let toggle: GaugeToggle;
  let root: FakeSlackMessage;

  before(async () => {
    toggle = await startGaugeToggle(1);
    const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-alerts-e2e-')), 'policy.yaml');
    writeFileSync(policy, POLICY);
    // A small memory budget, so a few follow-ups are enough to make compaction drop the oldest turns.
    // No timeline of changes here (test/e2e/alert-incidents.test.ts has it): these tests count the thread's answers.
    stack = await startStack({
      env: {
        ALERTS_TOKEN,
        ALERTS_SLACK_CHANNEL: FALLBACK_CHANNEL,
        AI4K8S_POLICY: policy,
        CONVERSATION_TOKEN_BUDGET: String(MEMORY_BUDGET),
        ALERT_TIMELINE_MINUTES: '0',
      },
    });
  });
  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await stack?.stop();
    await toggle?.stop();
  });

  const alertJobs = () => countJobs(stack.redis, stack.prefix, ALERT_QUEUE);
  const postWebhook = (body: string, headers: Record<string, string>) =>
    fetch(`${stack.gatewayUrl}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const roots = () => stack.slack.messages(ALERT_CHANNEL).filter((m) => m.threadTs === undefined);

  it('refuses unauthenticated (401) and malformed (400) webhooks: no job, no thread', async () => {
    const valid = JSON.stringify({
      version: '4',
      groupKey: '{}:{alertname="Forged"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'ai4k8s',
      groupLabels: { alertname: 'Forged' },
      commonLabels: { alertname: 'Forged' },
      commonAnnotations: {},
      externalURL: 'http://am.invalid',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Forged' },
          annotations: {},
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: 'f0',
        },
      ],
    });
    assert.equal((await postWebhook(valid, {})).status, 401);
    assert.equal((await postWebhook(valid, { authorization: 'Bearer wrong-token' })).status, 401);
    assert.equal((await postWebhook(valid, { authorization: `Basic ${Buffer.from('am:wrong').toString('base64')}` })).status, 401);
    const bad = await postWebhook(JSON.stringify({ version: '4', status: 'firing', alerts: 'none' }), {
      authorization: `Bearer ${ALERTS_TOKEN}`,
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_payload');
    assert.equal((await postWebhook('{not json', { authorization: `Bearer ${ALERTS_TOKEN}` })).status, 400);
    assert.equal(
      (await postWebhook(valid.replace('"version":"4"', '"version":"3"'), { authorization: `Bearer ${ALERTS_TOKEN}` })).status,
      400,
    );
    assert.equal(await alertJobs(), 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(stack.slack.messages(ALERT_CHANNEL), []);
  });

  it('a rule firing in Prometheus opens one thread, in the channel the policy routes it to, with status, severity, summary, labels and links', async () => {
    stack.model.script({ content: [text(INVESTIGATION)] });
    // Alertmanager re-sends the unchanged group every 2 s during the test.
    ({ alertmanager, prometheus } = await startAlertingOnToggle({ gatewayUrl: stack.gatewayUrl, alertsToken: ALERTS_TOKEN, toggle }));
    root = await stack.slack.waitFor(() => roots()[0], 30_000);
    assert.match(root.text, /FIRING/);
    assert.match(root.text, /CheckoutErrorRateHigh/);
    assert.match(root.text, /critical/);
    assert.match(root.text, /Checkout error rate is above 5%/);
    assert.match(root.text, /namespace=shop/);
    assert.ok(root.text.includes(`${prometheus.url}/graph?g0.expr=`), `generator link in ${root.text}`);
    assert.ok(root.text.includes(`${alertmanager.url}/#/silences/new?filter=`), `silence link in ${root.text}`);
    assert.deepEqual(stack.slack.messages(FALLBACK_CHANNEL), []);
  });

  it('the policy investigates the critical alert: the findings land in its thread', async () => {
    const [answer] = await waitForThreadAnswers(stack.slack, ALERT_CHANNEL, root.ts, 1, 20_000);
    assert.match(answer?.text ?? '', /database password rotated/);
    const [request] = stack.model.requests;
    const seen = JSON.stringify(request?.body.messages);
    assert.ok(seen.includes('Investigate the alert described at the start of this thread'), seen);
    assert.ok(seen.includes('name: CheckoutErrorRateHigh'), seen);
    assert.ok(seen.includes('namespace=\\"shop\\"'), seen);
  });

  it('repeated notifications of the unchanged group open no second thread', async () => {
    // Alertmanager's own count of webhook notifications: wait for the repeat to have been sent and handled.
    await waitFor(async () => (await webhookNotifications(alertmanager.url)) >= 2, 15_000, 'a repeated notification');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(roots().length, 1);
    assert.equal(stack.slack.messages(ALERT_CHANNEL).find((m) => m.ts === root.ts)?.edits.length, 0);
    assert.equal(stack.model.requests.length, 1, 'no second investigation');
  });

  it('a follow-up "why?" in the thread reaches the model with the alert and the investigation in context', async () => {
    stack.model.script({ content: [text('The checkout pods are failing their database connections.')] });
    const before = stack.model.requests.length;
    const event = {
      type: 'message',
      channel_type: 'channel',
      user: ALICE,
      text: 'why?',
      ts: `1700000001.${String(randomInt(999_999)).padStart(6, '0')}`,
      thread_ts: root.ts,
      channel: ALERT_CHANNEL,
    };
    const response = await postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body: eventCallbackBody({ event, teamId: stack.slack.identity.teamId }),
      contentType: 'application/json',
      secret: SIGNING_SECRET,
    });
    assert.equal(response.status, 200);
    const [request] = (await stack.model.waitForRequests(before + 1, 20_000)).slice(before);
    const seen = JSON.stringify(request?.body.messages);
    for (const expected of [
      'CheckoutErrorRateHigh',
      'severity=\\"critical\\"',
      'namespace=\\"shop\\"',
      'Checkout error rate is above 5%',
      'returns 5xx for more than 5%',
      'ai4k8s_test_toggle > 0',
      'started 20',
      'database password rotated',
    ]) {
      assert.ok(seen.includes(expected), `the model should see ${expected} in ${seen}`);
    }
    const replies = await waitForThreadAnswers(stack.slack, ALERT_CHANNEL, root.ts, 2, 20_000);
    assert.match(replies.at(-1)?.text ?? '', /database connections/);
  });

  it('after many follow-ups, compaction drops the oldest turns but the model still starts from the alert and the investigation findings', async () => {
    const ask = async (question: string, answer: string) => {
      stack.model.script({ content: [text(answer)] });
      const before = stack.model.requests.length;
      // The thread includes its root: one more message than the replies so far, once this answer is in.
      const replies = stack.slack.thread(ALERT_CHANNEL, root.ts).length;
      const event = {
        type: 'message',
        channel_type: 'channel',
        user: ALICE,
        text: question,
        ts: `1700000002.${String(randomInt(999_999)).padStart(6, '0')}`,
        thread_ts: root.ts,
        channel: ALERT_CHANNEL,
      };
      const response = await postToSlackEndpoint({
        gatewayUrl: stack.gatewayUrl,
        body: eventCallbackBody({ event, teamId: stack.slack.identity.teamId }),
        contentType: 'application/json',
        secret: SIGNING_SECRET,
      });
      assert.equal(response.status, 200);
      const [request] = (await stack.model.waitForRequests(before + 1, 20_000)).slice(before);
      await waitForThreadAnswers(stack.slack, ALERT_CHANNEL, root.ts, replies, 20_000);
      return JSON.stringify(request?.body.messages);
    };
    // Each answer is about a fifth of the budget: the investigation and "why?" turns cannot all stay.
    for (let n = 1; n <= 5; n += 1) await ask(`and pod ${n}?`, `Pod ${n}: ${'the connection pool is exhausted; '.repeat(70)}`);
    const seen = await ask('so what now?', 'Roll back the password rotation.');
    assert.ok(!seen.includes('and pod 1?'), 'the oldest follow-up was dropped');
    assert.ok(!seen.includes('Investigate the alert'), `the investigation's own turn was dropped by compaction: ${seen}`);
    // Its findings stay pinned after the alert, fenced and labelled as earlier findings.
    assert.equal(seen.match(/database password rotated/g)?.length, 1, `the investigation's findings should still be pinned: ${seen}`);
    assert.ok(seen.includes('UNTRUSTED DATA from the cluster (earlier findings of the automatic investigation'), seen);
    for (const expected of [
      'CheckoutErrorRateHigh',
      'severity=\\"critical\\"',
      'namespace=\\"shop\\"',
      'ai4k8s_test_toggle > 0',
      'started 20',
    ]) {
      assert.ok(seen.includes(expected), `the model should still see ${expected} in ${seen}`);
    }
    assert.ok(
      seen.startsWith('[{"role":"user","content":"Alertmanager opened this thread'),
      `the alert leads the history: ${seen.slice(0, 200)}`,
    );
    assert.ok(seen.indexOf('database password rotated') < seen.indexOf('and pod 2?'), 'the findings come before the remaining follow-ups');
  });

  it('when the rule stops firing, the root is updated to resolved and a line is added', async () => {
    toggle.set(0);
    const updated = await stack.slack.waitFor(() => {
      const current = stack.slack.messages(ALERT_CHANNEL).find((m) => m.ts === root.ts);
      return current !== undefined && /RESOLVED/.test(current.text) ? current : undefined;
    }, 30_000);
    assert.ok(updated.edits.length >= 1);
    assert.doesNotMatch(updated.text, /FIRING/);
    const line = await stack.slack.waitFor(() => stack.slack.thread(ALERT_CHANNEL, root.ts).find((m) => /Resolved/.test(m.text)), 5_000);
    assert.match(line.text, /CheckoutErrorRateHigh/);
    assert.equal(roots().length, 1);
  });
});
