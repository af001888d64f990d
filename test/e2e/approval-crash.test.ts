import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { APPROVAL_QUEUE } from '../../src/queue/approval-queue.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { click, createOwnDeployment, scriptContinuation, waitForCard } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const APPROVER = 'U0APPROVER';
const NAMESPACE = uniqueName('approval-crash');
const DEPLOYMENT = 'web';

describe('a worker killed between the approval and the execution', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  before(async () => {
    // APPROVAL_EXECUTE_DELAY_MS holds every approved job between taking it and running the action, so the kill
    // below lands in that window every time; JOB_LOCK_MS lets the replacement pick the stalled job up quickly.
    stack = await startStack({
      workerProcesses: 1,
      env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER, JOB_LOCK_MS: '2000', APPROVAL_EXECUTE_DELAY_MS: '1500' },
    });
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it('is replaced: the next worker runs the action, exactly once, and reports it once', async () => {
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
    // The approved job is taken (active) by the only worker, which now waits before running it: kill it there.
    const activeKey = `${redisKeys(stack.prefix).queuePrefix}:${APPROVAL_QUEUE}:active`;
    for (let i = 0; (await stack.redis.llen(activeKey)) === 0; i += 1) {
      assert.ok(i < 200, 'the approval job never became active');
      await sleep(10);
    }
    const [first] = stack.workers;
    first?.kill('SIGKILL');
    await new Promise((resolve) => first?.once('exit', resolve));
    const afterKill = await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT });
    assert.equal(afterKill.spec?.replicas, 2, 'the killed worker had already run the action');

    stack.spawnWorker();
    const outcome = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => /approved by <@U0APPROVER> and applied/.test(m.text)),
      30_000,
    );
    assert.match(outcome.text, new RegExp(`APPLIED: scale deployment ${NAMESPACE}/${DEPLOYMENT}: replicas 2 → 4`));
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
      ['approval_requested', 'approval_approved', 'approval_executed'],
    );
    const applied = events.filter((e) => e.kind === 'tool_call' && JSON.stringify(e.arguments).includes('"dryRun":false'));
    assert.equal(applied.length, 1, 'the action was applied more than once');
    await continuation.posted(card);
    await sleep(500);
    assert.equal(
      stack.slack.thread(card.root.channel, card.root.ts).filter((m) => m.text.includes('Checked: web runs 4 replicas.')).length,
      1,
      'the conversation continued twice',
    );
  });
});
