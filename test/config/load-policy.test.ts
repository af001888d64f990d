import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PendingAction } from '../../src/queue/pending-action.ts';
import { approversFor, channelPolicyFor } from '../../src/policy/channel-policy.ts';
import { loadPolicy } from '../../src/config/load-policy.ts';

const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-policy-'));
let files = 0;
const policyFile = (yaml: string) => {
  const path = join(dir, `policy-${(files += 1)}.yaml`);
  writeFileSync(path, yaml);
  return path;
};

const EXAMPLE = `
identities:
  unmapped: server
channels:
  default:
    tier: read
  "slack:T0123:C0PAY":
    contexts: [default, prod-eu]
    namespaces: [payments, payments-canary]
    approvers: ["slack:T0123:U0LEAD"]
    namespaceApprovers:
      payments: ["slack:T0123:U0PAYOWNER", "teams:72f988bf-86f1-41af-91ab-2d7cd011db47:00000000-0000-0000-0000-000000000001"]
  "teams:72f988bf-86f1-41af-91ab-2d7cd011db47:19:abc@thread.tacv2":
    tier: write
alerts:
  routes: [{ labels: { team: payments }, slackChannel: C0PAY }]
`;

function action(channel: string, args: Record<string, unknown>): PendingAction {
  return {
    token: 'a'.repeat(32),
    tool: 'deployment_scale',
    arguments: args,
    requester: { id: 'U0ASK' },
    replyTarget: { platform: 'slack', teamId: 'T0123', channel },
    threadId: '1.1',
    jobId: 'j',
    conversationKey: 'k',
    preview: '',
    expiresAt: 0,
  };
}

describe('loadPolicy (AI4K8S_POLICY)', () => {
  it('reads channels with defaults, validates the alerts section, and resolves a channel or the default entry', () => {
    const policy = loadPolicy(policyFile(EXAMPLE));
    const pay = channelPolicyFor(policy, { platform: 'slack', teamId: 'T0123', channel: 'C0PAY' });
    assert.deepEqual(pay.namespaces, ['payments', 'payments-canary']);
    assert.deepEqual(pay.contexts, ['default', 'prod-eu']);
    assert.equal(pay.tier, 'write');
    assert.equal(pay.entry, 'slack:T0123:C0PAY');
    const other = channelPolicyFor(policy, { platform: 'slack', teamId: 'T0123', channel: 'C0OTHER' });
    assert.deepEqual([other.entry, other.tier, other.namespaces, other.contexts], ['default', 'read', ['*'], ['*']]);
    const teams = channelPolicyFor(policy, {
      platform: 'teams',
      teamId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      channel: '19:abc@thread.tacv2',
    });
    assert.equal(teams.entry, 'teams:72f988bf-86f1-41af-91ab-2d7cd011db47:19:abc@thread.tacv2');
    assert.ok(policy.alerts !== undefined);
    assert.deepEqual(policy.identities, { unmapped: 'server', users: {} });
  });

  it('approvers: the namespace entry, else the channel entry, else none (APPROVERS applies)', () => {
    const policy = loadPolicy(policyFile(EXAMPLE));
    assert.deepEqual(approversFor(policy, action('C0PAY', { namespace: 'payments' })), [
      'slack:T0123:U0PAYOWNER',
      'teams:72f988bf-86f1-41af-91ab-2d7cd011db47:00000000-0000-0000-0000-000000000001',
    ]);
    assert.deepEqual(approversFor(policy, action('C0PAY', { namespace: 'payments-canary' })), ['slack:T0123:U0LEAD']);
    assert.deepEqual(approversFor(policy, action('C0PAY', { name: 'node-1' })), ['slack:T0123:U0LEAD']);
    assert.equal(approversFor(policy, action('C0OTHER', { namespace: 'payments' })), undefined);
  });

  it('without a channels section every channel keeps the built-in behaviour; without identities the MCP server keeps its own', () => {
    const path = policyFile('identities:\n  users: {}\n');
    assert.equal(channelPolicyFor(loadPolicy(path), { platform: 'slack', teamId: 'T', channel: 'C' }).entry, 'built-in');
    assert.equal(loadPolicy(policyFile('channels:\n  default: { tier: read }\n')).identities, undefined);
  });

  const cases: [string, string, RegExp][] = [
    ['a misspelt top-level key', 'channel:\n  default: {}\n', /AI4K8S_POLICY \(.*\): Unrecognized key: "channel"/],
    ['a misspelt channel key', 'channels:\n  default:\n    namespace: [a]\n', /channels\.default: Unrecognized key: "namespace"/],
    ['a bad tier', 'channels:\n  default:\n    tier: admin\n', /channels\.default\.tier: expected read or write/],
    [
      'a bad namespace',
      'channels:\n  default:\n    namespaces: [Payments]\n',
      /channels\.default\.namespaces\.0: expected a namespace name/,
    ],
    [
      'an approver that is not a chat user id',
      'channels:\n  default:\n    approvers: [U0123]\n',
      /channels\.default\.approvers\.0: expected a chat user id like slack:T0123:U0456/,
    ],
    [
      'a bad channel id',
      'channels:\n  default: {}\n  C0PAY:\n    tier: read\n',
      /channels\.C0PAY: expected "default" or a channel id like slack:T0123:C0456/,
    ],
    [
      'channels without a default entry',
      'channels:\n  "slack:T1:C1":\n    tier: read\n',
      /channels\.default: required when channels are listed/,
    ],
    [
      'an empty namespace list',
      'channels:\n  default:\n    namespaces: []\n',
      /channels\.default\.namespaces: expected at least one namespace/,
    ],
    [
      'a bad identity',
      'identities:\n  users:\n    "slack:T1:U1": { user: "" }\n',
      /identities\.users\.slack:T1:U1\.user: expected a non-empty name/,
    ],
    ['broken YAML', 'channels: [\n', /cannot read it as YAML/],
  ];
  for (const [what, yaml, message] of cases) {
    it(`fails at start on ${what}, naming the key`, () => {
      assert.throws(
        () => loadPolicy(policyFile(yaml)),
        (error: Error) => {
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('deploy/policy.example.yaml', () => {
  it('is a valid policy whose default entry keeps the built-in behaviour', () => {
    const policy = loadPolicy(join(import.meta.dirname, '../../deploy/policy.example.yaml'));
    const other = channelPolicyFor(policy, { platform: 'slack', teamId: 'T0123ABCD', channel: 'C0SOMEWHERE' });
    assert.deepEqual([other.tier, other.namespaces, other.contexts], ['write', ['*'], ['*']]);
    assert.equal(channelPolicyFor(policy, { platform: 'slack', teamId: 'T0123ABCD', channel: 'C0HELPDESK1' }).tier, 'read');
    assert.deepEqual(channelPolicyFor(policy, { platform: 'slack', teamId: 'T0123ABCD', channel: 'C0PAYMENTS1' }).namespaces, [
      'payments',
      'payments-canary',
    ]);
  });
});
