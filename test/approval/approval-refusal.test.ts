import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approverMatches, sameChatUser, type ApprovalClicker } from '../../src/approval/approval-clicker.ts';
import { approvalRefusal } from '../../src/approval/approval-refusal.ts';
import type { ApprovalSettings } from '../../src/approval/approval-settings.ts';
import type { PendingAction } from '../../src/queue/pending-action.ts';

// An Enterprise Grid org: the event came through workspace T0WORKSPACE, the click carries the clicker's own
// workspace (team.id / user.team_id) or the org (E…): Slack user ids are the same across all of them.
const EVENT_TEAM = 'T0WORKSPACE';
const CLICK_TEAM = 'T0OTHERWS1';

const slackAction = (requester: string): PendingAction => ({
  token: 'a'.repeat(32),
  tool: 'deployment_scale',
  arguments: { namespace: 'payments', name: 'api', replicas: 3 },
  requester: { id: requester },
  replyTarget: { platform: 'slack', teamId: EVENT_TEAM, channel: 'C0PAYMENTS', threadTs: '1700000000.000100' },
  threadId: '1700000000.000100',
  jobId: 'slack-job',
  conversationKey: 'slack:conv',
  preview: 'DRY RUN',
  expiresAt: Date.now() + 60_000,
});
const settings = (over: Partial<ApprovalSettings> = {}): ApprovalSettings => ({
  approvers: [],
  selfAllowed: false,
  ttlSeconds: 60,
  ...over,
});
const slackClick = (id: string, teamId = CLICK_TEAM): ApprovalClicker => ({ platform: 'slack', teamId, id });

describe('approvalRefusal: who may decide, with the same kind of id on both sides', () => {
  it('recognises a Slack requester approving their own action from another workspace of the org (Enterprise Grid, Slack Connect)', () => {
    const action = slackAction('U0REQUEST1');
    for (const teamId of [EVENT_TEAM, CLICK_TEAM, 'E0ENTERPRISE', '']) {
      assert.match(
        approvalRefusal(settings(), 'approved', action, slackClick('U0REQUEST1', teamId)) ?? '',
        /self-approval is not allowed/,
        teamId,
      );
    }
    // The requester is an APPROVER (a bare user id, any workspace): still not for their own action.
    assert.match(
      approvalRefusal(settings({ approvers: ['U0REQUEST1'] }), 'approved', action, slackClick('U0REQUEST1')) ?? '',
      /self-approval is not allowed/,
    );
    // A policy approver entry names the requester's event workspace: the click from the other workspace is still them.
    assert.match(
      approvalRefusal(settings({ approversFor: () => [`slack:${EVENT_TEAM}:U0REQUEST1`] }), 'approved', action, slackClick('U0REQUEST1')) ??
        '',
      /self-approval is not allowed/,
    );
    // They may still withdraw it, and someone else may approve it.
    assert.equal(approvalRefusal(settings({ approvers: ['U0APPROVER'] }), 'denied', action, slackClick('U0REQUEST1')), undefined);
    assert.equal(approvalRefusal(settings(), 'approved', action, slackClick('U0SOMEONE1')), undefined);
    assert.equal(approvalRefusal(settings({ selfAllowed: true }), 'approved', action, slackClick('U0REQUEST1')), undefined);
  });

  it('matches a policy approver `slack:<team>:<user>` by user id, whichever workspace or org id the click carries', () => {
    const action = slackAction('U0REQUEST1');
    const policy = settings({ approversFor: () => [`slack:${EVENT_TEAM}:W0APPROVER`] });
    for (const teamId of [EVENT_TEAM, CLICK_TEAM, 'E0ENTERPRISE'])
      assert.equal(approvalRefusal(policy, 'approved', action, slackClick('W0APPROVER', teamId)), undefined, teamId);
    assert.match(
      approvalRefusal(policy, 'approved', action, slackClick('U0STRANGER', EVENT_TEAM)) ?? '',
      /only an approver \(<@W0APPROVER>\)/,
    );
  });

  it('keeps Teams and console ids exact: the same user id in another tenant or realm is someone else', () => {
    assert.equal(approverMatches('teams:tenant-a:aad-1', { platform: 'teams', teamId: 'tenant-a', id: 'aad-1' }), true);
    assert.equal(approverMatches('teams:tenant-a:aad-1', { platform: 'teams', teamId: 'tenant-b', id: 'aad-1' }), false);
    assert.equal(approverMatches('console:console:alice', { platform: 'console', teamId: 'console', id: 'alice' }), true);
    assert.equal(approverMatches('console:console:alice', { platform: 'slack', teamId: 'console', id: 'alice' }), false);
    // A bare id names a Slack user only.
    assert.equal(approverMatches('U0APPROVER', { platform: 'teams', teamId: 't', id: 'U0APPROVER' }), false);
    assert.equal(approverMatches('slack:T1:U0APPROVER', { platform: 'console', teamId: 'T1', id: 'U0APPROVER' }), false);
    assert.equal(sameChatUser({ platform: 'teams', teamId: 't1', id: 'x' }, { platform: 'teams', teamId: 't2', id: 'x' }), false);
    assert.equal(sameChatUser({ platform: 'slack', teamId: 'T1', id: 'U1' }, { platform: 'slack', teamId: 'E1', id: 'U1' }), true);
    assert.equal(sameChatUser({ platform: 'slack', teamId: 'T1', id: 'U1' }, { platform: 'console', teamId: 'T1', id: 'U1' }), false);
  });
});
