import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { createApprovalQueue, enqueueApprovalJob } from '../../src/queue/approval-queue.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { click, createOwnDeployment, scriptContinuation, waitForCard, type Card } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';

const APPROVER = 'U0APPROVER';
const REQUESTER = 'U0ONCALL01';
const NAMESPACE = uniqueName('forgery');
const DEPLOYMENT = 'web';

/**
 * An attacker who can write to Redis (a leaked REDIS_URL, a compromised neighbour of the worker) but holds neither
 * APPROVAL_SIGNING_KEY nor a Slack signing secret: whatever they write, the cluster does not change.
 */
describe('approvals: a Redis writer cannot approve a change', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  const replicas = async () => (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas;
  const approvalKey = (card: Card) => redisKeys(stack.prefix).approvalAction(card.token);
  const ask = async (question: string, count: number): Promise<Card> => {
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas: count })] },
      { content: [text('That change is waiting for a human approval in this thread.')] },
    );
    await stack.slashCommand({ text: question, userId: REQUESTER });
    return waitForCard(stack.slack, question, 'waiting for a human approval');
  };

  before(async () => {
    stack = await startStack({ env: { MCP_ENABLE_WRITE_TOOLS: 'true', APPROVERS: APPROVER } });
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it('flipping the approval record to approved and enqueueing an approval job changes nothing in the cluster', async () => {
    const card = await ask('scale web to 6', 6);
    const continuation = scriptContinuation(stack, 'The change did not go through.');
    // The forgery: the record says a human approved, and the job that runs approved actions is queued.
    await stack.redis.hset(approvalKey(card), 'status', 'approved', 'decidedBy', APPROVER, 'decidedAt', String(Date.now()));
    const queue = createApprovalQueue({ connection: stack.redis, prefix: stack.prefix, logger: createLogger({ level: 'silent' }) });
    await enqueueApprovalJob(queue, { token: card.token, decision: 'approved', decidedBy: APPROVER });
    await queue.close();

    const outcome = await stack.slack.waitFor(
      (s) => s.thread(card.root.channel, card.root.ts).find((m) => /approved by <@U0APPROVER>/.test(m.text)),
      20_000,
    );
    assert.match(outcome.text, /did not complete: refused: .*approval grant/);
    assert.equal(await replicas(), 2, 'a forged approval scaled the deployment');
    const { events } = await readAudit(stack.redis, stack.prefix);
    const refused = events.filter((e): e is Extract<AuditEvent, { kind: 'mcp_call_refused' }> => e.kind === 'mcp_call_refused');
    assert.deepEqual(
      refused.map((e) => [e.tool, e.code, e.token, e.caller]),
      [['deployment_scale', 'grant_missing', 'bot', `slack:T0AI4K8S:${REQUESTER}`]],
    );
    await continuation.posted(card);
  });

  it('editing the stored action after the card was posted: the Approve click is refused and nothing changes', async () => {
    const card = await ask('scale web to 3', 3);
    const stored = JSON.parse((await stack.redis.hget(approvalKey(card), 'action')) ?? '{}') as { arguments: Record<string, unknown> };
    assert.deepEqual(stored.arguments, { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 3 });
    await stack.redis.hset(approvalKey(card), 'action', JSON.stringify({ ...stored, arguments: { ...stored.arguments, replicas: 50 } }));

    await click(stack, card, 'approve', APPROVER);
    const told = await stack.slack.waitFor((s) => s.ephemerals().find((e) => e.user === APPROVER && /Not done/.test(e.text)), 10_000);
    assert.match(told.text, /changed after the card was posted/);
    await sleep(500);
    assert.equal(await replicas(), 2, 'the edited action ran');
    assert.equal(await stack.redis.hget(approvalKey(card), 'status'), 'pending');
    const { events } = await readAudit(stack.redis, stack.prefix);
    const mine = events.filter((e) => 'approval' in e && e.approval === card.token.slice(0, 8));
    assert.deepEqual(
      mine.map((e) => [e.kind, 'by' in e ? e.by : undefined]),
      [
        ['approval_requested', undefined],
        ['approval_refused', APPROVER],
      ],
    );
  });
});
