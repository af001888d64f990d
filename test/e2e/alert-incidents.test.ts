import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { text, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackMessage } from '../../dev/fakes/fake-slack-api.ts';
import { fakeSlackIdentity } from '../../dev/fakes/slack-workspace.ts';
import { startAlertmanager, startPrometheus, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { createDeployment, rollOut } from '../../dev/support/seed-rollout.ts';
import { startGaugeToggle, type GaugeToggle } from './alert-rule-toggle.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const ALERTS_TOKEN = 'alerts-incidents-token-6c2e-0123456789abcdef';
const CHANNEL = 'C0INCIDNT1';
const suffix = randomBytes(3).toString('hex');
const NAMESPACE = `e2e-incidents-${suffix}`;
const FINDINGS =
  '# Checkout broke with the rollout to 1.5.0\n\nThe 1.5.0 image fails its readiness probe since it was rolled out; roll back to 1.4.0.';

const rules = `
groups:
  - name: incidents
    rules:
      - alert: CheckoutImageBroken
        expr: ai4k8s_test_toggle > 0
        for: 0s
        labels: { severity: critical, namespace: ${NAMESPACE}, deployment: checkout }
        annotations:
          summary: Checkout pods are not ready
          runbook_url: https://runbooks.example.com/checkout-not-ready
`;

const POLICY = `
alerts:
  investigate:
    - severity: [critical]
runbooks:
  - name: Checkout not ready
    match: { alertname: CheckoutImageBroken }
    markdown: If checkout was rolled out shortly before, roll it back first and say so.
`;

/** The model's investigation, answered only if it was given the timeline (the image change) and the runbook, pinned. */
function investigation(request: MessagesRequest) {
  const seen = JSON.stringify(request.messages);
  const ok = seen.includes('1.4.0 → 1.5.0') && seen.includes('OPERATOR RUNBOOK') && seen.includes('roll it back first');
  return { content: [text(ok ? FINDINGS : '# The timeline or the runbook was missing from my context')] };
}

describe('End to end: an alert after an image change — the timeline names it; when it fires again, the new root links the earlier thread and its cause', () => {
  let stack: Stack;
  let toggle: GaugeToggle;
  let prometheus: MonitoringServer | undefined;
  let alertmanager: MonitoringServer | undefined;
  let first: FakeSlackMessage;

  before(async () => {
    const { kubeconfigPath } = await testCluster();
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    kc.setCurrentContext('admin');
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await createDeployment({
      kc,
      namespace: NAMESPACE,
      name: 'checkout',
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.4.0' }] },
      },
    });
    await sleep(1_100);
    await rollOut({
      kc,
      namespace: NAMESPACE,
      name: 'checkout',
      fieldManager: 'kubectl-set',
      change: (template) => ({
        ...template,
        spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.5.0' }] },
      }),
    });
    const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-incidents-e2e-')), 'policy.yaml');
    writeFileSync(policy, POLICY);
    toggle = await startGaugeToggle(0);
    stack = await startStack({ env: { ALERTS_TOKEN, ALERTS_SLACK_CHANNEL: CHANNEL, AI4K8S_POLICY: policy } });
    alertmanager = await startAlertmanager({
      webhookUrl: `${stack.gatewayUrl}/alerts/alertmanager`,
      bearerToken: ALERTS_TOKEN,
      groupWaitSeconds: 1,
      groupIntervalSeconds: 1,
      repeatIntervalSeconds: 3600,
    });
    prometheus = await startPrometheus({ rules, alertmanagerUrl: alertmanager.url, extraScrapeTargets: [toggle.target] });
  });
  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await stack?.stop();
    await toggle?.stop();
  });

  const roots = () => stack.slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);
  const replies = (root: FakeSlackMessage) => stack.slack.thread(CHANNEL, root.ts).filter((m) => m.ts !== root.ts);

  it("the alert fires: its thread's first answer is the timeline, naming the image change as the likely culprit", async () => {
    stack.model.script(investigation);
    toggle.set(1);
    first = await stack.slack.waitFor(() => roots()[0], 30_000);
    assert.match(first.text, /FIRING/);
    assert.match(first.text, /Runbooks?: .*Checkout not ready.*runbooks\.example\.com\/checkout-not-ready/);
    const timeline = await stack.slack.waitFor(() => replies(first)[0], 20_000);
    assert.match(timeline.text, /What changed before this alert/);
    assert.match(
      timeline.text,
      /Likely culprit:.* rollout Deployment .*e2e-incidents-\w+\/checkout.*: rollout to revision 2: image checkout: registry\.example\.com\/shop\/checkout 1\.4\.0 → 1\.5\.0/,
    );
    const answer = await stack.slack.waitFor(
      () => replies(first).find((m) => /rollout to 1\.5\.0|was missing/.test(m.text) && !/Working on it/.test(m.text)),
      30_000,
    );
    assert.match(answer.text, /Checkout broke with the rollout to 1\.5\.0/, 'the investigation was given the timeline and the runbook');
  });

  it('it resolves, then fires again: a new root says when it was last seen, its cause, and links the earlier thread', async () => {
    toggle.set(0);
    await stack.slack.waitFor(
      () => (/RESOLVED/.test(stack.slack.messages(CHANNEL).find((m) => m.ts === first.ts)?.text ?? '') ? true : undefined),
      30_000,
    );
    stack.model.script(investigation);
    toggle.set(1);
    const second = await stack.slack.waitFor(() => roots()[1], 30_000);
    assert.match(second.text, /FIRING/);
    assert.match(second.text, /Seen before/);
    assert.match(second.text, /Cause then: Checkout broke with the rollout to 1\.5\.0 — The 1\.5\.0 image fails its readiness probe/);
    const link = `${fakeSlackIdentity.teamUrl}archives/${CHANNEL}/p${first.ts.replace('.', '')}`;
    assert.ok(second.text.includes(link), `the earlier thread's link ${link} in ${second.text}`);
    // The new episode has its own timeline.
    const timeline = await stack.slack.waitFor(() => replies(second)[0], 20_000);
    assert.match(timeline.text, /What changed before this alert/);
    assert.equal(roots().length, 2);
  });
});
