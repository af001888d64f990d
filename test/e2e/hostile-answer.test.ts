import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { hostileText, type HostileTextName } from '../../dev/support/hostile-text.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

/**
 * Shapes that cost today's converters seconds per kilobyte, 16 KiB each: the old inline-code pattern alone
 * spent 8.5 s on 6.9 KB and eight times that per doubling, so this answer would hold the worker for hours.
 */
const HOSTILE_SHAPES: HostileTextName[] = [
  'backticks then letters',
  'backtick runs of growing length',
  '*a openers',
  'run of [',
  'brackets and parentheses',
  'unclosed Slack tokens',
  'table delimiter and spaces',
  'mentions and links',
  'alternating fences',
];
const HOSTILE_ANSWER = `The pod's log, as it was:\n\n${HOSTILE_SHAPES.map((name) => hostileText[name](16 * 1024)).join('\n\n')}`;

/** The question a model "answers" by quoting a hostile log, and the normal one asked while that is being posted. */
const SLOW_QUESTION = 'summarise the checkout log for me';
const QUICK_QUESTION = 'is the cluster healthy?';
const LEAK_QUESTION = 'what does the orders deployment connect to?';
/** A normal answer must not wait behind the hostile one longer than this (it takes about a second alone). */
const QUICK_ANSWER_MS = 8_000;

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DB_PASSWORD = 'hunter2-Sup3r-0rders';
const leak = `aws_secret_access_key=${AWS_SECRET} and DATABASE_URL=postgres://orders:${DB_PASSWORD}@db.shop:5432/orders`;
const listing = Array.from({ length: 300 }, (_, i) => `orders-${String(i).padStart(3, '0')}   1/1   Running   0   ${i}m`).join('\n');
const LEAK_ANSWER = `## orders talks to the database\n\nIts environment has ${leak}. <!channel> <@U0ADMIN> see <https://evil.example|the runbook>.\n\n\`\`\`\n${listing}\n\`\`\`\n\nAgain: ${leak}`;

const ALERTS_TOKEN = 'alerts-e2e-token-hostile-7c2e-0123456789ab';
const ALERT_CHANNEL = 'C0ALERTS09';
/** The alert measured at 8.5 s for a 6.9 KB summary, at 48 KiB, with a ping and a disguised link in front. */
const HOSTILE_SUMMARY = `<!channel> <https://evil.example|click here> ${hostileText['backticks then letters'](48 * 1024)}`;

/** An Alertmanager webhook (version 4) whose summary and description are hostile, well under the 1 MiB cap. */
function hostileWebhook(): string {
  const labels = { alertname: 'CheckoutLogFlood', severity: 'warning', namespace: 'shop' };
  const annotations = { summary: HOSTILE_SUMMARY, description: HOSTILE_SHAPES.map((name) => hostileText[name](8 * 1024)).join('\n') };
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="CheckoutLogFlood"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'ai4k8s',
    groupLabels: { alertname: 'CheckoutLogFlood' },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://am.invalid',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: 'f0hostile',
      },
    ],
  });
}

/** Which question a model request is about: the first user message carries it. */
function questionOf(request: MessagesRequest): string {
  return JSON.stringify(request.messages[0] ?? '');
}

describe('hostile text from the model, end to end with the default worker settings', { timeout: 120_000 }, () => {
  let stack: Stack;
  before(async () => {
    // A worker process of its own (as deployed): a blocked event loop there cannot stall this test's clock.
    stack = await startStack({ workerProcesses: 1, env: { ALERTS_TOKEN, ALERTS_SLACK_CHANNEL: ALERT_CHANNEL } });
    // The worker process is up and connected once it has answered something.
    stack.model.script({ content: [text('Ready.')] });
    await stack.slashCommand({ text: 'are you there?' });
    await waitForAnswer(stack.slack, 'are you there?', 60_000);
    stack.model.reset();
    stack.slack.reset();
  });
  after(async () => {
    await stack.stop();
  });

  /** Asks the normal question and returns how long its answer took, failing past QUICK_ANSWER_MS. */
  async function askQuickly(): Promise<number> {
    const asked = Date.now();
    assert.equal((await stack.slashCommand({ text: QUICK_QUESTION, userId: 'U0BOB00001' })).status, 200);
    const quick = await waitForAnswer(stack.slack, QUICK_QUESTION, QUICK_ANSWER_MS);
    const quickMs = Date.now() - asked;
    assert.match(quick.replies.at(-1)?.text ?? '', /All nodes are Ready/);
    assert.ok(quickMs < QUICK_ANSWER_MS, `the normal answer took ${quickMs} ms`);
    return quickMs;
  }

  it('one slow job does not stall the others: a normal question is answered while a hostile alert is posted', async (t) => {
    stack.model.script({ content: [text('All nodes are Ready and nothing is failing.')] });
    const webhook = await fetch(`${stack.gatewayUrl}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
      body: hostileWebhook(),
    });
    assert.equal(webhook.status, 200);
    // The worker takes the alert job at once and renders its root while the question arrives.
    await sleep(300);
    t.diagnostic(`the normal answer came ${await askQuickly()} ms after its question`);

    const root = await stack.slack.waitFor((s) => s.messages(ALERT_CHANNEL).find((m) => m.threadTs === undefined), 30_000);
    assert.match(root.text, /CheckoutLogFlood/);
    assert.ok(root.text.length < 4_000, `the alert root has ${root.text.length} characters`);
    assert.doesNotMatch(root.text, /<!channel>|\|click here>/);
    assert.match(root.text, /@\u200Bchannel <https:\/\/evil\.example\|click here \(evil\.example\)>/);
  });

  it('one slow job does not stall the others: a normal question is answered while a hostile answer is posted', async (t) => {
    stack.model.reset();
    stack.slack.reset();
    let slowServed: () => void = () => undefined;
    const served = new Promise<void>((resolve) => (slowServed = resolve));
    const route = (request: MessagesRequest) => {
      if (!questionOf(request).includes(SLOW_QUESTION)) return { content: [text('All nodes are Ready and nothing is failing.')] };
      slowServed();
      return { content: [text(HOSTILE_ANSWER)] };
    };
    stack.model.script(route, route);
    assert.equal((await stack.slashCommand({ text: SLOW_QUESTION, userId: 'U0ALICE001' })).status, 200);
    await served;
    // The worker now has the hostile answer and converts, splits and posts it.
    await sleep(200);
    t.diagnostic(`the normal answer came ${await askQuickly()} ms after its question`);

    // The hostile answer is delivered too (a short message and the full text as a file), inert.
    const slow = await waitForAnswer(stack.slack, SLOW_QUESTION, 60_000);
    assert.match(slow.replies.at(-1)?.text ?? '', /attached file/);
    const file = stack.slack.files().find((f) => f.threadTs === slow.root.ts);
    assert.ok((file?.bytes?.length ?? 0) > 100_000, 'the full hostile answer is in the file');
    const posted = JSON.stringify(slow.replies.map((m) => [m.text, m.blocks]));
    assert.doesNotMatch(posted, /<!channel>|<@U0ADMIN>|\|click>/);
    assert.deepEqual(stack.model.violations, []);
  });

  it('a credential the model quotes reaches Slack redacted: in the message, the blocks and the answer file', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [text(LEAK_ANSWER)] });
    await stack.slashCommand({ text: LEAK_QUESTION, userId: 'U0ALICE001' });
    const { root, replies } = await waitForAnswer(stack.slack, LEAK_QUESTION);
    const file = stack.slack.files().find((f) => f.threadTs === root.ts);
    const answer = replies.at(-1);
    const message = answer?.text ?? '';
    const blocks = JSON.stringify(answer?.blocks);
    const content = file?.bytes?.toString('utf8') ?? '';
    for (const [where, posted] of [
      ['message', message],
      ['blocks', blocks],
      ['file', content],
    ] as const) {
      assert.ok(!posted.includes(AWS_SECRET), `the AWS secret key is in the ${where}`);
      assert.ok(!posted.includes(DB_PASSWORD), `the database password is in the ${where}`);
      assert.match(posted, /\[redacted: aws secret key\]/, where);
    }
    assert.match(content, /postgres:\/\/orders:\[redacted: password\]@db\.shop/);
    assert.match(content, /orders-299/, 'the file holds the whole answer');
    // Nor does the answer ping anyone or hide where its link goes.
    const everything = JSON.stringify(stack.slack.calls.map((c) => [c.body.text, c.body.blocks]));
    assert.doesNotMatch(everything, /<!channel>|<@U0ADMIN>|\|the runbook>/);
    assert.match(everything, /@\u200Bchannel/);
  });
});
