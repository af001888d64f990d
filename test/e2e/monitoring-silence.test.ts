import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { startAlertmanager, type MonitoringServer } from '../../dev/services/monitoring-stack.ts';
import { click, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf } from './support.ts';

const APPROVER = 'U0APPROVER';
const REQUESTER = 'U0ONCALL01';

interface Silence {
  id: string;
  status: { state: string };
  matchers: { name: string; value: string }[];
  comment: string;
}

describe('silence_create end to end: a silence is created in the real Alertmanager only after approval', () => {
  let alertmanager: MonitoringServer;
  let stack: Stack;
  const silencesFor = async (alertname: string) =>
    ((await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as Silence[]).filter((s) =>
      s.matchers.some((m) => m.value === alertname),
    );

  before(async () => {
    alertmanager = await startAlertmanager();
    stack = await startStack({ env: { ALERTMANAGER_URL: alertmanager.url, MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
  });
  after(async () => {
    await stack?.stop();
    await alertmanager?.stop();
  });

  it('the model asks: an approval card with the preview, no silence; Approve creates exactly one', async () => {
    const alertname = `DiskFull${Date.now()}`;
    const input = { matchers: [{ name: 'alertname', value: alertname }], duration: '2h', comment: 'disk being replaced' };
    let toolResult = '';
    stack.model.script({ content: [toolUse('silence_create', input)] }, (request: MessagesRequest) => {
      toolResult = toolResultsOf(request)[0]?.text ?? '';
      return { content: [text('The silence is waiting for a human approval in this thread.')] };
    });
    const question = `silence ${alertname} for 2 hours`;
    assert.equal((await stack.slashCommand({ text: question, userId: REQUESTER })).status, 200);
    const card = await waitForCard(stack.slack, question, 'waiting for a human approval');
    assert.match(card.message.text, new RegExp(`silence alerts matching \\{alertname="${alertname}"\\} for 2h`));
    assert.match(toolResult, /awaits a human approval/);
    assert.deepEqual(await silencesFor(alertname), [], 'a silence exists before anyone approved');

    scriptContinuation(stack, 'The silence is in place.');
    await click(stack, card, 'approve', APPROVER);
    const outcome = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => /approved by <@U0APPROVER> and applied/.test(m.text)),
      20_000,
    );
    assert.match(outcome.text, /APPLIED: silence alerts matching/);
    const created = await silencesFor(alertname);
    assert.equal(created.length, 1);
    assert.equal(created[0]?.status.state, 'active');
    assert.equal(created[0]?.comment, 'disk being replaced');
  });
});
