import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRecurrence } from '../../src/incidents/find-recurrence.ts';
import { findingsOf } from '../../src/incidents/findings-of.ts';
import { labelFingerprint, workloadOf, type Incident } from '../../src/incidents/incident.ts';
import { isRestricted, visibleIn } from '../../src/incidents/incident-visibility.ts';
import { searchIncidents } from '../../src/incidents/incidents-search-tool.ts';
import { recurrenceNote } from '../../src/incidents/recurrence-note.ts';
import { threadLink } from '../../src/incidents/thread-link.ts';
import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';
import { BUILT_IN_CHANNEL_POLICY, type ChannelPolicy } from '../../src/policy/channel-policy.ts';

const incident = (over: Partial<Incident>): Incident => ({
  id: 'i1',
  kind: 'alert',
  threadKey: 'slack:T1:C1:1700000000.000100',
  channel: 'slack:T1:C1',
  restricted: false,
  title: 'CheckoutErrorRateHigh',
  alertname: 'CheckoutErrorRateHigh',
  fingerprint: labelFingerprint({ alertname: 'CheckoutErrorRateHigh', namespace: 'shop' }),
  labels: { alertname: 'CheckoutErrorRateHigh', namespace: 'shop' },
  namespace: 'shop',
  workload: 'checkout',
  startedAt: '2025-06-01T10:00:00Z',
  lastSeenAt: '2025-06-01T10:30:00Z',
  fixes: [],
  ...over,
});
const policy = (namespaces: string[]): ChannelPolicy => ({ ...BUILT_IN_CHANNEL_POLICY, entry: 'x', namespaces });

describe('incident memory rules', () => {
  it('the same labels give the same fingerprint in any order; a workload comes from its label or a pod name', () => {
    assert.equal(labelFingerprint({ a: '1', b: '2' }), labelFingerprint({ b: '2', a: '1' }));
    assert.notEqual(labelFingerprint({ a: '1' }), labelFingerprint({ a: '2' }));
    assert.equal(workloadOf({ deployment: 'checkout', pod: 'x' }), 'checkout');
    assert.equal(workloadOf({ pod: 'checkout-7d4b9c6f5-x2x9z' }), 'checkout');
    assert.equal(workloadOf({ pod: 'ledger-0' }), 'ledger');
    assert.equal(workloadOf({ instance: 'node-1' }), undefined);
  });

  it('recurrence: the same alert on the same labels beats the same alert in the namespace, beats the same alert anywhere, beats the same workload; never itself or a later one', () => {
    const query = {
      alertname: 'CheckoutErrorRateHigh',
      fingerprint: labelFingerprint({ alertname: 'CheckoutErrorRateHigh', namespace: 'shop' }),
      namespace: 'shop',
      workload: 'checkout',
      startedAt: '2025-06-02T09:00:00Z',
    };
    const sameLabels = incident({ id: 'a', startedAt: '2025-05-01T00:00:00Z' });
    const sameNamespace = incident({ id: 'b', fingerprint: 'other', startedAt: '2025-06-01T00:00:00Z' });
    const elsewhere = incident({ id: 'c', fingerprint: 'other', namespace: 'payments', startedAt: '2025-06-01T05:00:00Z' });
    const workload = incident({ id: 'd', alertname: 'KubePodCrashLooping', fingerprint: 'x', startedAt: '2025-06-01T08:00:00Z' });
    const later = incident({ id: 'e', startedAt: '2025-06-02T09:00:00Z' });
    assert.equal(findRecurrence([workload, elsewhere, sameNamespace, sameLabels, later], query)?.id, 'a');
    assert.equal(findRecurrence([workload, elsewhere, sameNamespace], query)?.id, 'b');
    assert.equal(findRecurrence([workload, elsewhere], query)?.id, 'c');
    assert.equal(findRecurrence([workload], query)?.id, 'd');
    assert.equal(findRecurrence([later, incident({ id: 'f', alertname: 'Other', workload: 'cart', fingerprint: 'z' })], query), undefined);
  });

  it('visibility: an incident shows in its own channel; elsewhere only from an unrestricted channel, and only where its namespace may be seen', () => {
    const open = incident({});
    const restricted = incident({ restricted: true });
    assert.ok(visibleIn(restricted, { channel: 'slack:T1:C1', policy: policy(['shop']) }));
    assert.ok(!visibleIn(restricted, { channel: 'slack:T1:C2', policy: policy(['*']) }));
    assert.ok(visibleIn(open, { channel: 'slack:T1:C2', policy: policy(['*']) }));
    assert.ok(visibleIn(open, { channel: 'slack:T1:C2', policy: policy(['shop']) }));
    assert.ok(!visibleIn(open, { channel: 'slack:T1:C2', policy: policy(['payments']) }));
    assert.ok(!visibleIn(incident({ namespace: undefined }), { channel: 'slack:T1:C2', policy: policy(['payments']) }));
    assert.ok(isRestricted(policy(['shop'])) && isRestricted({ ...policy(['*']), contexts: ['prod'] }) && !isRestricted(policy(['*'])));
  });

  it('the "seen before" note: when, how long it lasted, the cause and fix, the earlier thread as a link', () => {
    const note = recurrenceNote(
      incident({
        resolvedAt: '2025-06-01T10:14:00Z',
        cause: 'Checkout failed after the rollout to 1.5.0 — the new image lacks the DB driver',
        fixes: ['rollout_undo shop/checkout'],
        link: 'https://w.slack.com/archives/C1/p1700000000000100',
      }),
      new Date('2025-06-01T12:00:00Z'),
    );
    assert.equal(
      note,
      '🔁 **Seen before**: **CheckoutErrorRateHigh** started 2h ago (2025-06-01T10:00:00Z), resolved after 14m.\n' +
        'Cause then: Checkout failed after the rollout to 1.5.0 — the new image lacks the DB driver · Fix applied: rollout_undo shop/checkout\n' +
        '[Earlier thread](https://w.slack.com/archives/C1/p1700000000000100)',
    );
    assert.match(
      recurrenceNote(incident({ culprit: 'rollout Deployment checkout' })),
      /not seen resolved\.\nCause then: rollout Deployment checkout\nEarlier thread: slack:T1:C1:1700000000\.000100$/,
    );
  });

  it('findings: the heading and first paragraph of an answer, redacted and short', () => {
    assert.equal(
      findingsOf('# Checkout broke after the 1.5.0 rollout\n\nThe new image fails its readiness probe.\n\n- evidence'),
      'Checkout broke after the 1.5.0 rollout — The new image fails its readiness probe.',
    );
    assert.equal(
      findingsOf('No heading here, just text with token xoxb-1234567890-abcdefghijkl'),
      'No heading here, just text with token [redacted: slack token]',
    );
    assert.equal(findingsOf('   \n'), undefined);
    assert.ok((findingsOf(`# t\n\n${'long '.repeat(500)}`) ?? '').length <= 400);
  });

  it('thread links: a Slack permalink from the workspace URL, a Teams deep link, none for the console', () => {
    assert.equal(
      threadLink({ platform: 'slack', teamId: 'T1', channel: 'C1' }, '1700000000.000100', { slackWorkspaceUrl: 'https://acme.slack.com/' }),
      'https://acme.slack.com/archives/C1/p1700000000000100',
    );
    assert.equal(
      threadLink({ platform: 'slack', teamId: 'T1', channel: 'C1' }, '1700000000.000100', { slackWorkspaceUrl: undefined }),
      undefined,
    );
    assert.match(
      threadLink({ platform: 'teams', teamId: 'tenant-1', channel: '19:abc@thread.tacv2' }, '1712345', {}) ?? '',
      /^https:\/\/teams\.microsoft\.com\/l\/message\/19%3Aabc%40thread\.tacv2\/1712345\?tenantId=tenant-1&parentMessageId=1712345$/,
    );
    assert.equal(threadLink({ platform: 'console', teamId: 'local', channel: 'c1' }, 'm1', {}), undefined);
  });

  it('incidents_search: all words must match, filters by alert and namespace, newest first, fenced', () => {
    const all = [
      incident({
        id: 'a',
        startedAt: '2025-06-01T00:00:00Z',
        cause: 'OOMKilled after memory limit cut',
        fixes: ['deployment_scale shop/checkout replicas=3'],
      }),
      incident({ id: 'b', startedAt: '2025-06-03T00:00:00Z', cause: 'bad rollout' }),
      incident({ id: 'c', startedAt: '2025-06-02T00:00:00Z', namespace: 'payments', alertname: 'LedgerDown', title: 'LedgerDown' }),
    ];
    const byWords = searchIncidents(all, { query: 'checkout OOM', limit: 5 });
    assert.deepEqual(
      (byWords.structuredContent?.incidents as { id: string }[]).map((i) => i.id),
      ['a'],
    );
    assert.match(
      readUntrustedFences(byWords.text)[0] ?? '',
      /cause: OOMKilled after memory limit cut; fix: deployment_scale shop\/checkout replicas=3; thread: slack:T1:C1/,
    );
    assert.deepEqual(
      (searchIncidents(all, { limit: 5 }).structuredContent?.incidents as { id: string }[]).map((i) => i.id),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(
      (searchIncidents(all, { namespace: 'payments', limit: 5 }).structuredContent?.incidents as { id: string }[]).map((i) => i.id),
      ['c'],
    );
    assert.deepEqual(
      (searchIncidents(all, { alertname: 'ledgerdown', limit: 5 }).structuredContent?.incidents as { id: string }[]).map((i) => i.id),
      ['c'],
    );
    assert.match(searchIncidents(all, { query: 'nothing-like-this', limit: 5 }).text, /^No remembered incidents match/);
  });
});
