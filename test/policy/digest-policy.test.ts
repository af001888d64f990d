import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { digestMarkdown } from '../../src/digests/digest-text.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';

const loadDigests = (path: string) => loadPolicy(path).digests;

function policyFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-digest-policy-')), 'policy.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('digests in the policy file', () => {
  it('reads a digest with its cron, time zone, channel and namespaces, as part of the policy file', () => {
    const path = policyFile(
      'digests:\n  - name: prod-morning\n    schedule: "0 8 * * 1-5"\n    timezone: Europe/Berlin\n    slackChannel: C0123ABCD\n    namespaces: [shop]\n',
    );
    assert.deepEqual(loadDigests(path), [
      { name: 'prod-morning', schedule: '0 8 * * 1-5', timezone: 'Europe/Berlin', slackChannel: 'C0123ABCD', namespaces: ['shop'] },
    ]);
  });

  it('deploy/policy.example.yaml: its digest loads as documented', () => {
    assert.deepEqual(loadDigests(join(import.meta.dirname, '../../deploy/policy.example.yaml')), [
      { name: 'shop-morning', schedule: '0 8 * * 1-5', timezone: 'Europe/Berlin', slackChannel: 'C0ONCALL01', namespaces: ['shop'] },
    ]);
  });

  it('a wrong digest fails the start, naming the key and what it expects', () => {
    const fails = (yaml: string, message: RegExp) =>
      assert.throws(
        () => loadDigests(policyFile(yaml)),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    fails(
      'digests:\n  - name: a\n    schedule: "every day"\n    slackChannel: C0123ABCD\n',
      /digests\.0\.schedule: expected a cron schedule/,
    );
    fails(
      'digests:\n  - name: a\n    schedule: "0 8 * * *"\n    timezone: Mars/Olympus\n    slackChannel: C0123ABCD\n',
      /digests\.0\.timezone: expected an IANA time zone/,
    );
    fails('digests:\n  - name: a\n    schedule: "0 8 * * *"\n', /digests\.0: expected exactly one of slackChannel or teamsConversation/);
    fails('digests:\n  - name: a\n    schedule: "0 8 * * *"\n    slackChannel: "#ops"\n', /slackChannel: expected a Slack channel id/);
    fails(
      'digests:\n  - { name: a, schedule: "0 8 * * *", slackChannel: C0123ABCD }\n  - { name: a, schedule: "0 9 * * *", slackChannel: C0123ABCD }\n',
      /digests: expected each digest to have its own name/,
    );
  });

  it('a part the channel may not see, or a backend that is not configured, is said — never left out silently', () => {
    const text = digestMarkdown(
      {
        namespaces: ['shop'],
        health: [
          {
            ok: true,
            value: {
              scope: { namespace: 'shop' },
              failingWorkloads: [],
              pendingPods: [],
              notReadyNodes: [],
              nodesChecked: false,
              topRestarts: [],
              counts: { failingWorkloads: 0, pendingPods: 0, notReadyNodes: 0 },
              notes: [],
            },
          },
        ],
        notReadyNodes: { ok: false, reason: 'refused by channel policy: cluster-wide tools are not available here' },
        alerts: { ok: false, reason: 'Alertmanager is not configured (ALERTMANAGER_URL)' },
        changes: [{ ok: true, value: { items: [], total: 0, unknown: [] } }],
        since: '2025-06-01T08:00:00Z',
        until: '2025-06-02T08:00:00Z',
      },
      { name: 'ops', scheduledAt: '2025-06-02T08:00:00Z' },
    );
    assert.match(text, /\*\*Failing workloads:\*\* none/);
    assert.match(text, /\*\*NotReady nodes:\*\* not available \(refused by channel policy: cluster-wide tools are not available here\)/);
    assert.match(text, /\*\*Firing alerts:\*\* not available \(Alertmanager is not configured \(ALERTMANAGER_URL\)\)/);
    assert.match(text, /\*\*Changes since 2025-06-01 08:00:\*\* none/);
  });
});
