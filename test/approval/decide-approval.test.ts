import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { approvalStore, type ApprovalStore } from '../../src/approval/approval-store.ts';
import type { ApprovalSettings } from '../../src/approval/approval-settings.ts';
import { actionBinding } from '../../src/approval/action-binding.ts';
import { decideApproval } from '../../src/approval/decide-approval.ts';
import { grantSigner } from '../../src/approval/grant-signer.ts';
import { actionDigest, verifyApprovalGrant } from '../../src/contract/approval-grant.ts';
import type { PendingAction } from '../../src/queue/pending-action.ts';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import type { ApprovalJob } from '../../src/queue/approval-job.ts';
import { testRedisUrl, uniqueName } from '../../dev/services/shared.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const KEY = 'decide-approval-test-signing-key-0123456789';
let tokens = 0;
const newToken = () => (tokens += 1).toString(16).padStart(32, '0');

function teamsAction(token: string, over: Partial<PendingAction> = {}): PendingAction {
  return {
    token,
    tool: 'deployment_scale',
    arguments: { namespace: 'payments', name: 'api', replicas: 3 },
    context: 'prod',
    chatUser: `teams:${TENANT}:aad-requester`,
    requester: { id: 'aad-requester' },
    replyTarget: {
      platform: 'teams',
      teamId: TENANT,
      channel: '19:chan@thread.tacv2',
      serviceUrl: 'https://smba.example.com/',
      bot: { id: '28:bot' },
    },
    threadId: '1700000000000',
    jobId: 'teams-job',
    conversationKey: 'teams:conv',
    preview: 'DRY RUN',
    expiresAt: Date.now() + 60_000,
    ...over,
  };
}

describe('decideApproval (platform-neutral Approve / Deny, real Redis)', () => {
  let redis: Redis;
  let store: ApprovalStore;
  const jobs: ApprovalJob[] = [];
  const events: AuditEvent[] = [];
  const base = {
    enqueue: (job: ApprovalJob) => {
      jobs.push(job);
      return Promise.resolve(`approval-${job.token}`);
    },
    audit: { record: (event: AuditEvent) => Promise.resolve(void events.push(event)) },
    signer: grantSigner({ key: KEY, ttlSeconds: 60 }),
  };
  /** What the card's buttons carry for the action stored under `token`. */
  const digestOf = (token: string, over: Partial<PendingAction> = {}) => actionDigest(actionBinding(teamsAction(token, over)));
  /** The last job without its grant (checked on its own). */
  const lastJob = () => {
    const { grant: _grant, ...job } = jobs.at(-1) ?? { token: '', decision: 'denied' };
    return job;
  };
  const settings = (over: Partial<ApprovalSettings> = {}): ApprovalSettings => ({
    approvers: [],
    selfAllowed: false,
    ttlSeconds: 60,
    ...over,
  });
  const teamsUser = (id: string) => ({ platform: 'teams' as const, teamId: TENANT, id });

  before(async () => {
    redis = new Redis(await testRedisUrl(), { maxRetriesPerRequest: null });
    store = approvalStore(redis, uniqueName('decide'));
  });
  after(async () => {
    await redis.quit();
  });

  it('a Teams approver named by chat user id approves once; a second click is refused and enqueues nothing', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const policy = settings({ approvers: [`teams:${TENANT}:aad-lead`] });
    const first = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: teamsUser('aad-lead'),
    });
    assert.deepEqual(first, { done: true, message: 'approved `deployment_scale`; it runs now' });
    assert.deepEqual(lastJob(), { token, decision: 'approved', decidedBy: 'aad-lead' });
    const jobsBefore = jobs.length;
    const second = await decideApproval({ ...base, store, settings: policy, token, decision: 'denied', clicker: teamsUser('aad-lead') });
    assert.equal(second.done, false);
    assert.match(second.message, /already approved by aad-lead; an approval runs once/);
    assert.equal(jobs.length, jobsBefore);
    assert.deepEqual(
      events.filter((e) => 'approval' in e && e.approval === token.slice(0, 8)).map((e) => e.kind),
      ['approval_approved', 'approval_refused'],
    );
  });

  it('tells a second clicker who decided by display name when the platform sent one; the audit keeps the id', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const policy = settings({ approvers: [`teams:${TENANT}:aad-lead`, `teams:${TENANT}:aad-other`] });
    const first = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: { ...teamsUser('aad-lead'), name: 'Lee Lead' },
    });
    assert.equal(first.done, true);
    assert.deepEqual(lastJob(), { token, decision: 'approved', decidedBy: 'aad-lead', decidedByName: 'Lee Lead' });
    const stored = await store.read(token);
    assert.equal(stored?.decidedBy, 'aad-lead');
    assert.equal(stored?.decidedByName, 'Lee Lead');
    const second = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: { ...teamsUser('aad-other'), name: 'Otto Other' },
    });
    assert.deepEqual(second, { done: false, message: 'this action was already approved by Lee Lead; an approval runs once' });
    const refused = events.at(-1);
    assert.equal(refused?.kind, 'approval_refused');
    assert.equal(refused !== undefined && 'by' in refused ? refused.by : undefined, 'aad-other');
    assert.match(refused !== undefined && 'reason' in refused ? String(refused.reason) : '', /already approved by aad-lead/);
    assert.doesNotMatch(JSON.stringify(refused), /Lee Lead/);
  });

  it('per-namespace approvers from the policy win over APPROVERS; a web-console approver is named by full id', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const policy = settings({
      approvers: [`teams:${TENANT}:aad-lead`],
      approversFor: (a) => (a.arguments.namespace === 'payments' ? ['console:ops:alice'] : undefined),
    });
    const lead = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: teamsUser('aad-lead'),
    });
    assert.deepEqual(lead, { done: false, message: 'only an approver (console:ops:alice) can approve or deny this action' });
    assert.equal((await store.read(token))?.status, 'pending');
    const alice = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: { platform: 'console', teamId: 'ops', id: 'alice' },
    });
    assert.equal(alice.done, true);
    assert.deepEqual(lastJob(), { token, decision: 'approved', decidedBy: 'console:ops:alice' });
    assert.equal((await store.read(token))?.decidedBy, 'console:ops:alice');
  });

  it('the requester may withdraw (deny) but not approve their own action; the same id in another tenant is someone else', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const policy = settings();
    const self = await decideApproval({
      ...base,
      store,
      settings: policy,
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: teamsUser('aad-requester'),
    });
    assert.match(self.message, /self-approval is not allowed/);
    const withdrawn = await decideApproval({
      ...base,
      store,
      settings: settings({ approvers: [`teams:${TENANT}:aad-lead`] }),
      token,
      decision: 'denied',
      clicker: teamsUser('aad-requester'),
    });
    assert.equal(withdrawn.done, true);
    assert.equal((await store.read(token))?.status, 'denied');

    const other = newToken();
    await store.create(teamsAction(other));
    const elsewhere = await decideApproval({
      ...base,
      store,
      settings: policy,
      token: other,
      digest: digestOf(other),
      decision: 'approved',
      clicker: { platform: 'teams', teamId: 'another-tenant', id: 'aad-requester' },
    });
    assert.equal(elsewhere.done, true);
  });

  it('an unknown or malformed token and an expired action are refused, the expiry still reported by a job', async () => {
    const unknown = await decideApproval({
      ...base,
      store,
      settings: settings(),
      token: 'not-a-token',
      decision: 'approved',
      clicker: teamsUser('x'),
    });
    assert.deepEqual(unknown, { done: false, message: 'this approval is unknown or was already cleaned up' });
    const refusedUnknown = events.at(-1);
    assert.equal(refusedUnknown?.kind, 'approval_refused');
    assert.equal(refusedUnknown?.platform, 'teams');

    const token = newToken();
    await store.create(teamsAction(token, { expiresAt: Date.now() - 1 }));
    const late = await decideApproval({
      ...base,
      store,
      settings: settings(),
      token,
      digest: digestOf(token, { expiresAt: 0 }),
      decision: 'approved',
      clicker: teamsUser('aad-lead'),
    });
    assert.deepEqual(late, { done: false, message: 'this approval has expired; ask again for a fresh one' });
    assert.deepEqual(jobs.at(-1), { token, decision: 'expired' });
    assert.equal(events.at(-1)?.kind, 'approval_expired');
  });

  it('an accepted approval carries a grant for exactly the stored call, signed for the MCP server', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const done = await decideApproval({
      ...base,
      store,
      settings: settings(),
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: teamsUser('aad-lead'),
    });
    assert.equal(done.done, true);
    const grant = jobs.at(-1)?.grant;
    const verdict = verifyApprovalGrant({ key: KEY, grant, binding: actionBinding(teamsAction(token)) });
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(verdict.claims.by, `teams:${TENANT}:aad-lead`);
    assert.equal(verifyApprovalGrant({ key: KEY, grant, binding: { ...actionBinding(teamsAction(token)), context: 'staging' } }).ok, false);
  });

  it('refuses an Approve whose card showed another action than the one stored now, or no digest; Deny still works', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const jobsBefore = jobs.length;
    for (const digest of [digestOf(token, { arguments: { namespace: 'payments', name: 'api', replicas: 30 } }), undefined, 'garbage']) {
      const outcome = await decideApproval({
        ...base,
        store,
        settings: settings(),
        token,
        digest,
        decision: 'approved',
        clicker: teamsUser('aad-lead'),
      });
      assert.equal(outcome.done, false);
      assert.match(outcome.message, /changed after the card was posted/);
    }
    assert.equal((await store.read(token))?.status, 'pending');
    assert.equal(jobs.length, jobsBefore, 'a refused click enqueued a job');
    const denied = await decideApproval({
      ...base,
      store,
      settings: settings(),
      token,
      decision: 'denied',
      clicker: teamsUser('aad-lead'),
    });
    assert.equal(denied.done, true);
    assert.deepEqual(jobs.at(-1), { token, decision: 'denied', decidedBy: 'aad-lead' });
  });

  it('without a signing key the gateway refuses to approve (it could not sign the grant the MCP server requires)', async () => {
    const token = newToken();
    await store.create(teamsAction(token));
    const outcome = await decideApproval({
      ...base,
      signer: undefined,
      store,
      settings: settings(),
      token,
      digest: digestOf(token),
      decision: 'approved',
      clicker: teamsUser('aad-lead'),
    });
    assert.deepEqual(outcome, {
      done: false,
      message:
        'this gateway cannot approve changes: APPROVAL_SIGNING_KEY is not set, so it cannot sign the approval the MCP server requires',
    });
    assert.equal((await store.read(token))?.status, 'pending');
  });
});
