import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';
import { matchRunbooks } from '../../src/runbooks/match-runbooks.ts';
import { RUNBOOK_MAX_BYTES } from '../../src/runbooks/runbook-policy.ts';
import { runbookGuidance, runbookLinks } from '../../src/runbooks/runbook-text.ts';
import { notification } from '../../dev/fakes/notification-fixture.ts';

const loadRunbooks = (path: string) => loadPolicy(path).runbooks;

function policyFile(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-runbooks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'policy.yaml'), yaml);
  return join(dir, 'policy.yaml');
}

const POLICY = `
runbooks:
  - name: Checkout errors
    match: { alertname: CheckoutErrorRateHigh, namespace: shop }
    url: https://wiki.example.com/runbooks/checkout
    file: checkout.md
  - name: Anything critical in payments
    match: { namespace: [payments], labels: { severity: critical } }
    markdown: Page the payments on-call first.
`;

describe('runbooks: from the policy file, matched to alerts, linked in the thread and given to the model', () => {
  it('loads inline and file runbooks (relative to the policy file); as part of the policy file', () => {
    const path = policyFile(POLICY, { 'checkout.md': '1. Check the last rollout.\n2. Roll back if it is newer than the alert.\n' });
    const runbooks = loadRunbooks(path);
    assert.deepEqual(
      runbooks.map((r) => [r.name, r.markdown?.split('\n')[0]]),
      [
        ['Checkout errors', '1. Check the last rollout.'],
        ['Anything critical in payments', 'Page the payments on-call first.'],
      ],
    );
  });

  it('deploy/policy.example.yaml: its runbook loads as documented', () => {
    const runbooks = loadRunbooks(join(import.meta.dirname, '../../deploy/policy.example.yaml'));
    assert.deepEqual(
      runbooks.map((r) => [r.name, r.url, r.markdown?.split('\n')[0]]),
      [
        [
          'Checkout errors',
          'https://wiki.example.com/runbooks/checkout',
          '1. Check the last rollout of `checkout` (changes_list); a new image is the usual cause.',
        ],
      ],
    );
  });

  it('a wrong entry, a missing or oversized file fails the start naming the setting', () => {
    const fails = (yaml: string, files: Record<string, string>, message: RegExp) =>
      assert.throws(
        () => loadRunbooks(policyFile(yaml, files)),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    fails(
      'runbooks:\n  - name: x\n    match: {}\n    markdown: y\n',
      {},
      /runbooks\.0\.match: expected at least one of alertname, namespace or labels/,
    );
    fails('runbooks:\n  - name: x\n    match: { alertname: A }\n', {}, /runbooks\.0: expected a url, markdown or file/);
    fails(
      'runbooks:\n  - name: x\n    match: { alertname: A }\n    file: nope.md\n',
      {},
      /AI4K8S_POLICY \(.*\): runbooks\.0\.file: cannot read .*nope\.md/,
    );
    fails(
      'runbooks:\n  - name: x\n    match: { alertname: A }\n    file: big.md\n',
      { 'big.md': 'x'.repeat(RUNBOOK_MAX_BYTES + 1) },
      /expected at most 16384/,
    );
    fails(
      'runbooks:\n  - name: x\n    match: { alertname: A }\n    url: javascript:alert(1)\n',
      {},
      /runbooks\.0\.url: expected an http\(s\) URL/,
    );
  });

  it("matches by alert name, namespace and labels (all given must hold), adds the alert's own runbook_url, and keeps guidance apart from links", () => {
    const runbooks = loadRunbooks(policyFile(POLICY, { 'checkout.md': 'Roll back first.' }));
    const alert = notification({
      commonLabels: { alertname: 'CheckoutErrorRateHigh', namespace: 'shop', severity: 'critical' },
      commonAnnotations: { runbook_url: 'https://runbooks.example.com/checkout-errors' },
    });
    const matched = matchRunbooks(runbooks, alert);
    assert.deepEqual(
      matched.map((r) => [r.name, r.source]),
      [
        ['Checkout errors', 'policy'],
        ['runbook_url', 'alert'],
      ],
    );
    assert.equal(
      runbookLinks(matched),
      '📘 Runbooks: [Checkout errors](https://wiki.example.com/runbooks/checkout) · [Runbook (from the alert)](https://runbooks.example.com/checkout-errors)',
    );
    assert.match(
      runbookGuidance(matched) ?? '',
      /^OPERATOR RUNBOOK — trusted guidance .*\n### Runbook: Checkout errors \(https:\/\/wiki\.example\.com\/runbooks\/checkout\)\nRoll back first\.\nEND OF OPERATOR RUNBOOK$/,
    );
    const payments = matchRunbooks(
      runbooks,
      notification({
        commonLabels: { alertname: 'LedgerDown', namespace: 'payments', severity: 'critical' },
        commonAnnotations: { runbook_url: 'javascript:alert(1)' },
      }),
    );
    assert.deepEqual(
      payments.map((r) => r.name),
      ['Anything critical in payments'],
      'a non-http runbook_url is not linked',
    );
    assert.equal(runbookLinks(payments), '📘 Runbook: **Anything critical in payments** (given to the AI)');
    assert.deepEqual(
      matchRunbooks(runbooks, notification({ commonLabels: { alertname: 'LedgerDown', namespace: 'payments', severity: 'warning' } })),
      [],
    );
  });
});
