import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertTimeline } from '../../../src/alerts/timeline/alert-timeline.ts';
import { likelyCulprit } from '../../../src/alerts/timeline/likely-culprit.ts';
import { timelineContextTurn, timelineMarkdown } from '../../../src/alerts/timeline/timeline-text.ts';
import { neutralizeClusterText as safe } from '../../../src/chat/neutralize-cluster-text.ts';
import { readUntrustedFences } from '../../../src/contract/fence-untrusted.ts';
import type { ChangeItem } from '../../../src/contract/changes-list-content.ts';

const START = '2025-06-01T10:30:00Z';
const item = (over: Partial<ChangeItem>): ChangeItem => ({
  at: '2025-06-01T10:20:00Z',
  type: 'created',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'checkout',
  summary: 'created',
  derivedFrom: 'x',
  ...over,
});
const rollout = item({
  type: 'rollout',
  at: '2025-06-01T10:27:00Z',
  summary: 'rollout to revision 2: image checkout: app 1.4.0 → 1.5.0',
  by: 'kubectl-set',
});

describe('alert timeline: the likely culprit by rule, and how the thread and the model see it', () => {
  it("the alerting workload's change wins over a bigger kind of change elsewhere; the closest before the start wins a tie; after the start never", () => {
    const elsewhere = item({ type: 'rollout', name: 'cart', at: '2025-06-01T10:29:00Z' });
    const config = item({ type: 'config', kind: 'ConfigMap', name: 'checkout-config', at: '2025-06-01T10:10:00Z' });
    const after = item({ type: 'rollout', at: '2025-06-01T10:45:00Z' });
    assert.equal(
      likelyCulprit([elsewhere, rollout, config, after], { startedAt: START, workload: 'checkout', namespace: 'shop' })?.item,
      rollout,
    );
    assert.equal(
      likelyCulprit([elsewhere, config], { startedAt: START, workload: 'checkout', namespace: 'shop' })?.item,
      config,
      'checkout-config belongs to checkout by name',
    );
    assert.equal(
      likelyCulprit([elsewhere, item({ type: 'scale', name: 'cart', at: '2025-06-01T10:29:30Z' })], { startedAt: START, namespace: 'shop' })
        ?.item,
      elsewhere,
      'without a workload: the kind decides',
    );
    assert.equal(likelyCulprit([after], { startedAt: START, workload: 'checkout' }), undefined);
    assert.equal(
      likelyCulprit([rollout], { startedAt: START, workload: 'checkout', namespace: 'shop' })?.why,
      'the only rollout before the alert that fits best, 3 min before the alert started, on the alerting workload checkout',
    );
  });

  it("the thread's message names the culprit and lists the changes; nothing changed is said plainly; a failure says why", () => {
    const timeline: AlertTimeline = {
      namespace: 'shop',
      workload: 'checkout',
      startedAt: START,
      since: '2025-06-01T09:30:00Z',
      until: '2025-06-01T10:31:00Z',
      items: [rollout],
      total: 1,
      unknown: ['a note'],
      culprit: likelyCulprit([rollout], { startedAt: START, workload: 'checkout' }),
    };
    const text = timelineMarkdown(timeline);
    assert.match(
      text,
      /^🕒 \*\*What changed before this alert\*\* — namespace `shop`, 09:30:00–10:31:00 UTC\n\*\*Likely culprit:\*\* rollout Deployment `shop\/checkout`: rollout to revision 2: image checkout: app 1\.4\.0 → 1\.5\.0 _\(by kubectl-set\)_ — the only rollout/,
    );
    assert.match(text, /\n• 10:27:00 · rollout Deployment `shop\/checkout`/);
    assert.match(text, /1 thing the API cannot show/);
    assert.equal(
      timelineMarkdown({ ...timeline, items: [], total: 0, unknown: [], culprit: undefined }).split('\n')[1],
      '**Nothing changed** that the API can show.',
    );
    assert.match(
      timelineMarkdown({ ...timeline, failure: 'refused by channel policy: namespace shop is outside' }),
      /⚠️ I could not list the changes: refused by channel policy/,
    );
  });

  it("the model's pinned context: runbook guidance outside the fence, the changes inside it", () => {
    const timeline: AlertTimeline = {
      namespace: 'shop',
      workload: 'checkout',
      startedAt: START,
      since: 'a',
      until: 'b',
      items: [rollout],
      total: 1,
      unknown: [],
      culprit: undefined,
    };
    const [user, assistant] = timelineContextTurn(
      timeline,
      'OPERATOR RUNBOOK — trusted guidance\nRoll back first.\nEND OF OPERATOR RUNBOOK',
    );
    const content = typeof user?.content === 'string' ? user.content : '';
    const fenced = readUntrustedFences(content);
    assert.equal(fenced.length, 1);
    assert.match(fenced[0] ?? '', /rollout Deployment shop\/checkout by kubectl-set: rollout to revision 2/);
    assert.ok(!(fenced[0] ?? '').includes('Roll back first'), 'the runbook is not inside the untrusted fence');
    assert.ok(content.indexOf('Roll back first') < content.indexOf('UNTRUSTED DATA'));
    assert.equal(assistant?.role, 'assistant');
  });

  it('cluster text posted to chat cannot mention, link or leak', () => {
    assert.equal(
      safe('deploy <!channel> [click](https://evil.example) token xoxb-123456789012-abcdefghij `x`'),
      'deploy ‹!channel› [click] (https://evil.example) token [redacted: slack token] ʼxʼ',
    );
    const started = performance.now();
    safe(`${'<@U1>'.repeat(50_000)}${'a'.repeat(200_000)}`);
    assert.ok(performance.now() - started < 1_000);
  });
});
