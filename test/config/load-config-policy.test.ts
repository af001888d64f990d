import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, type Role } from '../../src/config/load-config.ts';

const ROOT = join(import.meta.dirname, '../..');
const ROLES: readonly Role[] = ['gateway', 'worker', 'mcp', 'all'];
/** What each role needs besides the policy, so only the policy can fail. */
const ENV = { MCP_TOKEN: 'mcp-token-0123456789abcdef0123456789', MCP_URL: 'http://127.0.0.1:3001/mcp' };

function policyFile(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-config-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'policy.yaml'), yaml);
  return join(dir, 'policy.yaml');
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail('expected loadConfig to throw');
}

const POLICY = `
identities:
  unmapped: server
channels:
  default: { tier: read }
alerts:
  routes:
    - labels: { namespace: shop }
      slackChannel: C0SHOP0001
runbooks:
  - name: Checkout errors
    match: { alertname: CheckoutErrorRateHigh }
    file: checkout.md
digests:
  - name: shop-morning
    schedule: "0 8 * * 1-5"
    slackChannel: C0SHOP0001
`;

describe('loadConfig: the policy file (AI4K8S_POLICY), validated once with the settings', () => {
  it('returns every section parsed, runbook files read, for every role', () => {
    const path = policyFile(POLICY, { 'checkout.md': 'Roll back first.' });
    for (const role of ROLES) {
      const { policy } = loadConfig({ env: { ...ENV, AI4K8S_POLICY: path }, role });
      assert.ok(policy !== undefined, role);
      assert.deepEqual(policy.identities, { unmapped: 'server', users: {} }, role);
      assert.equal(policy.channels?.default?.tier, 'read', role);
      assert.deepEqual(
        policy.alerts.routes.map((route) => route.slackChannel),
        ['C0SHOP0001'],
        role,
      );
      assert.deepEqual(policy.alerts.investigate, [], role);
      assert.deepEqual(
        policy.runbooks.map((runbook) => [runbook.name, runbook.markdown]),
        [['Checkout errors', 'Roll back first.']],
        role,
      );
      assert.deepEqual(
        policy.digests.map((digest) => digest.name),
        ['shop-morning'],
        role,
      );
    }
  });

  it('without AI4K8S_POLICY there is no policy (the built-in behaviour)', () => {
    assert.equal(loadConfig({ env: {}, role: 'gateway' }).policy, undefined);
  });

  it('an empty policy file gives empty sections, not missing ones', () => {
    const { policy } = loadConfig({ env: { AI4K8S_POLICY: policyFile('') }, role: 'gateway' });
    assert.deepEqual([policy?.alerts, policy?.runbooks, policy?.digests], [{ routes: [], investigate: [] }, [], []]);
  });

  // Before this change the alerts, runbooks and digests sections were let through as unknown and checked only when
  // the worker's alert or digest worker started: the gateway and the MCP server started with a broken file.
  const broken: [string, string, RegExp][] = [
    [
      'an alert route with a channel name',
      'alerts:\n  routes:\n    - slackChannel: "#shop"\n',
      /AI4K8S_POLICY \(.*\): alerts\.routes\.0\.slackChannel: expected a Slack channel id/,
    ],
    ['an unknown key in alerts', 'alerts:\n  route: []\n', /alerts: Unrecognized key: "route"/],
    [
      'a runbook without a match',
      'runbooks:\n  - name: x\n    match: {}\n    markdown: y\n',
      /runbooks\.0\.match: expected at least one of alertname, namespace or labels/,
    ],
    [
      'a runbook file that is missing',
      'runbooks:\n  - name: x\n    match: { alertname: A }\n    file: nope.md\n',
      /runbooks\.0\.file: cannot read .*nope\.md/,
    ],
    [
      'a digest with a bad schedule',
      'digests:\n  - name: a\n    schedule: "every day"\n    slackChannel: C0123ABCD\n',
      /digests\.0\.schedule: expected a cron schedule/,
    ],
  ];
  for (const [what, yaml, message] of broken) {
    it(`fails at start for every role on ${what}, naming the key`, () => {
      const path = policyFile(yaml);
      for (const role of ROLES) {
        const problems = problemsOf(() => loadConfig({ env: { ...ENV, AI4K8S_POLICY: path }, role }));
        assert.ok(
          problems.some((problem) => message.test(problem)),
          `${role}: ${problems.join('\n')}`,
        );
      }
    });
  }

  it('no code outside src/config reads the policy file: every role receives the one loadConfig parsed', () => {
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && /(?<!function )\b(loadPolicy|readPolicyFile)\(/.test(readFileSync(path, 'utf8')))
          readers.push(relative(ROOT, path));
      }
    };
    for (const dir of ['src', 'adapters']) walk(join(ROOT, dir));
    assert.deepEqual(readers.sort(), ['src/config/load-config.ts', 'src/config/load-policy.ts']);
  });
});
