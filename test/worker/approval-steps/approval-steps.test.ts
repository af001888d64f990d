import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Queue, type Job } from 'bullmq';
import { approvalStore, type ApprovalStore } from '../../../src/approval/approval-store.ts';
import type { PendingAction } from '../../../src/queue/pending-action.ts';
import { EXPIRE_JOB } from '../../../src/approval/schedule-approval-expiry.ts';
import { createSlackClient } from '../../../adapters/slack/reply/create-slack-client.ts';
import { slackReplyChannel } from '../../../adapters/slack/reply/slack-reply-channel.ts';
import { createLogger } from '../../../src/log/create-logger.ts';
import type { ApprovalJob } from '../../../src/queue/approval-job.ts';
import { redisKeys } from '../../../src/queue/redis-keys.ts';
import { openApproval } from '../../../src/worker/approval-steps/approval-context.ts';
import { executeAction, outcomeUnknownText } from '../../../src/worker/approval-steps/execute-action.ts';
import { postOutcome, updateCard } from '../../../src/worker/approval-steps/report-outcome.ts';
import type { ResolveApprovalJobDeps } from '../../../src/worker/resolve-approval-job.ts';
import {
  chatJobStepsBench,
  scriptedToolbox,
  STEPS_CHANNEL,
  STEPS_TEAM,
  type ChatJobStepsBench,
} from '../../../dev/support/chat-job-steps.ts';
import { uniqueName } from '../../../dev/services/shared.ts';

describe("the approval resolver's steps: open, execute once, update the card, post the outcome once", () => {
  let bench: ChatJobStepsBench;
  let store: ApprovalStore;
  let queue: Queue<ApprovalJob>;
  let threadId: string;
  const toolbox = scriptedToolbox(() => ({ text: 'deployment.apps/web scaled', isError: false }), ['deployment_scale']);
  before(async () => {
    bench = await chatJobStepsBench();
    store = approvalStore(bench.redis, bench.prefix);
    queue = new Queue<ApprovalJob>(uniqueName('approval'), { connection: bench.redis, prefix: redisKeys(bench.prefix).queuePrefix });
    const client = createSlackClient({ token: bench.slack.token, slackApiUrl: bench.slack.url, logger: createLogger({ level: 'silent' }) });
    threadId = await slackReplyChannel({ client, channel: STEPS_CHANNEL }).postRoot('scale web to 4');
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await bench.close();
  });

  const deps = (): ResolveApprovalJobDeps => {
    const client = createSlackClient({ token: bench.slack.token, slackApiUrl: bench.slack.url, logger: createLogger({ level: 'silent' }) });
    return {
      store,
      connectToolbox: () => Promise.resolve(toolbox),
      replyChannelFor: (target) => slackReplyChannel({ client, channel: target.channel }),
      audit: bench.deps().audit,
      cluster: 'steps-cluster',
      logger: createLogger({ level: 'silent' }),
    };
  };
  /** A pending action with its card posted in the thread, as the approval gate leaves it. */
  const pending = async (over: Partial<PendingAction> = {}) => {
    const token = randomBytes(16).toString('hex');
    const action: PendingAction = {
      token,
      tool: 'deployment_scale',
      arguments: { namespace: 'shop', name: 'web', replicas: 4 },
      requester: { id: 'U0ASKER001' },
      replyTarget: { platform: 'slack', teamId: STEPS_TEAM, channel: STEPS_CHANNEL, threadTs: threadId },
      threadId,
      jobId: 'slack-job-1',
      conversationKey: 'slack:T:C:1',
      preview: 'replicas 2 → 4',
      expiresAt: Date.now() + 600_000,
      ...over,
    };
    assert.equal(await store.create(action), true);
    const channel = deps().replyChannelFor(action.replyTarget);
    const cardId = await channel.postApproval(threadId, {
      token,
      tool: action.tool,
      argumentsText: '{}',
      preview: action.preview,
      requesterId: 'U0ASKER001',
      expiresAt: action.expiresAt,
    });
    await store.setField(token, 'cardId', cardId);
    return { token, cardId };
  };
  const jobFor = (data: ApprovalJob, name = 'decided'): Promise<Job<ApprovalJob>> => queue.add(name, data);
  const thread = () => bench.slack.thread(STEPS_CHANNEL, threadId);

  it('an approved action runs once: a retry gets the recorded result and never calls the tool again', async () => {
    const { token } = await pending();
    assert.equal(await store.decide(token, 'approved', 'U0LEAD0001'), 'ok');
    const job = await jobFor({ token, decision: 'approved', decidedBy: 'U0LEAD0001', grant: 'signed-grant' });
    const calls = toolbox.calls.length;
    const first = await openApproval(job, deps());
    assert.ok(first !== undefined);
    assert.deepEqual(await executeAction(first), { text: 'deployment.apps/web scaled', isError: false });
    const retry = await openApproval(job, deps());
    assert.ok(retry !== undefined);
    assert.deepEqual(await executeAction(retry), { text: 'deployment.apps/web scaled', isError: false });
    assert.equal(toolbox.calls.length, calls + 1);
    assert.deepEqual(toolbox.calls.at(-1)?.input, { namespace: 'shop', name: 'web', replicas: 4, dryRun: false });
    const executed = (await bench.auditEvents()).filter((e) => e.kind === 'approval_executed');
    assert.equal(executed.length, 1);
  });

  it('a claim without a result (the worker died during the call) is "outcome unknown", never a second run', async () => {
    const { token } = await pending();
    await store.decide(token, 'approved', 'U0LEAD0001');
    assert.equal(await store.claimExecution(token), true);
    const calls = toolbox.calls.length;
    const ctx = await openApproval(await jobFor({ token, decision: 'approved', decidedBy: 'U0LEAD0001' }), deps());
    assert.ok(ctx !== undefined);
    assert.deepEqual(await executeAction(ctx), { text: outcomeUnknownText, isError: true });
    assert.equal(toolbox.calls.length, calls);
  });

  it('the card shows the outcome and the thread hears it once, across retries', async () => {
    const { token, cardId } = await pending();
    await store.decide(token, 'denied', 'U0LEAD0001');
    const job = await jobFor({ token, decision: 'denied', decidedBy: 'U0LEAD0001' });
    const before = thread().length;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const ctx = await openApproval(job, deps());
      assert.ok(ctx !== undefined);
      await updateCard(ctx, undefined);
      await postOutcome(ctx, undefined);
    }
    const added = thread().slice(before);
    assert.equal(added.filter((m) => m.ts !== cardId).length, 1, `outcome posted ${added.length} times`);
    assert.match(added.at(-1)?.text ?? '', /<@U0LEAD0001> denied `deployment_scale`\. Nothing was changed\./);
    const card = bench.slack.messages(STEPS_CHANNEL).find((m) => m.ts === cardId);
    assert.ok((card?.edits.length ?? 0) >= 1);
    assert.doesNotMatch(JSON.stringify(card?.edits.at(-1)), /ai4k8s_approval/, 'the card still has its buttons');
    assert.equal((await store.read(token))?.outcomePosted, true);
  });

  it('nothing to do for a missing action or an expiry timer that finds it decided; a timer that fires early is retried', async () => {
    assert.equal(await openApproval(await jobFor({ token: 'no-such-token', decision: 'approved' }), deps()), undefined);
    const early = await pending();
    await assert.rejects(
      openApproval(await jobFor({ token: early.token, decision: 'expired' }, EXPIRE_JOB), deps()),
      /not due to expire yet/,
    );
    const decided = await pending();
    await store.decide(decided.token, 'approved', 'U0LEAD0001');
    assert.equal(await openApproval(await jobFor({ token: decided.token, decision: 'expired' }, EXPIRE_JOB), deps()), undefined);
    const due = await pending({ expiresAt: Date.now() - 1_000 });
    const ctx = await openApproval(await jobFor({ token: due.token, decision: 'expired' }, EXPIRE_JOB), deps());
    assert.equal(ctx?.decision, 'expired');
    assert.ok((await bench.auditEvents()).some((e) => e.kind === 'approval_expired'));
  });
});
