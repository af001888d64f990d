import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { click, createOwnDeployment, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { startHoldingMcpProxy, type HoldingMcpProxy } from '../../dev/support/holding-mcp-proxy.ts';
import { outcomeUnknownText } from '../../src/worker/approval-steps/execute-action.ts';

const APPROVER = 'U0APPROVER';
const NAMESPACE = uniqueName('approval-crash');
const DEPLOYMENT = 'web';

describe('a worker killed while it runs an approved action', () => {
  let stack: Stack;
  let proxy: HoldingMcpProxy;
  let apps: AppsV1Api;
  before(async () => {
    // The worker reaches the MCP server through a proxy of the test's that holds the approved call (dryRun: false),
    // so the kill below lands every time after the worker took the job and claimed the execution, with the call on
    // the wire; JOB_LOCK_MS lets the replacement pick the stalled job up quickly.
    const mcpPort = await freePort();
    proxy = await startHoldingMcpProxy({
      target: `http://127.0.0.1:${mcpPort}/mcp`,
      holds: (call) => call.name === 'deployment_scale' && call.arguments.dryRun === false,
    });
    stack = await startStack({
      workerProcesses: 1,
      env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER, JOB_LOCK_MS: '2000', MCP_PORT: String(mcpPort), MCP_URL: proxy.url },
    });
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
    await proxy.stop();
  });

  it('is replaced: the action, sent once, is never sent again; the outcome is reported once, as unknown', async () => {
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 4 })] },
      {
        content: [text('That change is waiting for a human approval in this thread.')],
      },
    );
    const question = 'scale web to 4 despite crashes';
    await stack.slashCommand({ text: question, userId: 'U0ONCALL01' });
    const card = await waitForCard(stack.slack, question, 'waiting for a human approval');
    const before = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });

    const continuation = scriptContinuation(stack, 'Checked: web runs 4 replicas.');
    await click(stack, card, 'approve', APPROVER);
    // The only worker took the approved job and sent the call, which the proxy holds: kill the worker there.
    const call = await proxy.held;
    assert.equal(call.arguments.replicas, 4);
    const [first] = stack.workers;
    first?.kill('SIGKILL');
    await new Promise((resolve) => first?.once('exit', resolve));
    const afterKill = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });
    assert.equal(afterKill.spec?.replicas, 2, 'the call was held, yet the deployment changed');
    // The call had gone out: the MCP server gets it late and applies it, with nobody left to hear the result.
    assert.equal(await proxy.release(), 200);
    const applied = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });
    assert.equal(applied.spec?.replicas, 4, 'the released call did not apply the action');

    stack.spawnWorker();
    const outcome = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => /approved by <@U0APPROVER>/.test(m.text)),
      30_000,
    );
    assert.ok(outcome.text.includes(`did not complete: ${outcomeUnknownText}`), outcome.text);
    await sleep(1_000); // room for a duplicate to show up
    const deployment = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });
    assert.equal(deployment.spec?.replicas, 4);
    assert.equal(deployment.metadata?.generation, (before.metadata?.generation ?? 0) + 1, 'the deployment spec changed more than once');
    const outcomes = stack.slack.thread(card.root.channel, card.root.ts).filter((m) => /approved by <@U0APPROVER>/.test(m.text));
    assert.equal(outcomes.length, 1, `expected one outcome message, got: ${outcomes.map((m) => m.text).join(' | ')}`);
    const { events } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => 'approval' in e && e.approval === card.token.slice(0, 8));
    assert.deepEqual(
      mine.map((e) => e.kind),
      ['approval_requested', 'approval_approved'],
      'only the killed worker could have recorded the execution, and it died before the result came back',
    );
    const sent = events.filter((e) => e.kind === 'tool_call' && JSON.stringify(e.arguments).includes('"dryRun":false'));
    assert.equal(sent.length, 0, 'the replacement called the tool again');
    await continuation.posted(card);
    await sleep(500);
    assert.equal(
      stack.slack.thread(card.root.channel, card.root.ts).filter((m) => m.text.includes('Checked: web runs 4 replicas.')).length,
      1,
      'the conversation continued twice',
    );
  });
});
