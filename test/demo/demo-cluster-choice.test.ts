import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chooseCluster, parseDemoArgs } from '../../scripts/demo-cluster-choice.ts';

describe('npm run demo never reads an exported KUBECONFIG silently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-demo-choice-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: prod-eu',
      'clusters: [{ name: prod-eu-cluster, cluster: { server: "https://prod.example:6443" } }]',
      'users: [{ name: sre, user: { token: not-a-real-token } }]',
      'contexts: [{ name: prod-eu, context: { cluster: prod-eu-cluster, user: sre } }]',
    ].join('\n'),
  );
  const env = { KUBECONFIG: kubeconfig };
  const never = () => Promise.reject(new Error('must not ask'));

  it('parses --cluster=local|current and refuses anything else with usage', () => {
    assert.deepEqual(parseDemoArgs([]), { cluster: undefined });
    assert.deepEqual(parseDemoArgs(['--cluster=current']), { cluster: 'current' });
    assert.deepEqual(parseDemoArgs(['--cluster=local']), { cluster: 'local' });
    const refused = parseDemoArgs(['--cluster=prod']);
    assert.equal(typeof refused, 'string');
    assert.match(typeof refused === 'string' ? refused : '', /usage: npm run demo \[-- --cluster=local\|current\]/);
  });

  it('without a terminal and without a flag it stops, naming the context and both flags', async () => {
    const choice = await chooseCluster({ env, flag: undefined, ask: undefined });
    assert.equal(choice.kind, 'refused');
    const message = choice.kind === 'refused' ? choice.message : '';
    assert.match(message, /context "prod-eu" \(cluster prod-eu-cluster, https:\/\/prod\.example:6443\)/);
    assert.match(message, /--cluster=current/);
    assert.match(message, /--cluster=local/);
  });

  it('at a terminal it asks, naming the context; "no" means the local test cluster', async () => {
    const asked: string[] = [];
    const yes = await chooseCluster({ env, flag: undefined, ask: (q) => (asked.push(q), Promise.resolve(true)) });
    assert.equal(yes.kind, 'current');
    assert.match(asked[0] ?? '', /would read context "prod-eu"/);
    const no = await chooseCluster({ env, flag: undefined, ask: () => Promise.resolve(false) });
    assert.equal(no.kind, 'local');
  });

  it('--cluster=current uses it and names it for the banner; --cluster=local ignores it; no KUBECONFIG is local', async () => {
    const current = await chooseCluster({ env, flag: 'current', ask: never });
    assert.equal(current.kind, 'current');
    assert.match(current.kind === 'current' ? current.description : '', /^context "prod-eu"/);
    assert.deepEqual(await chooseCluster({ env, flag: 'local', ask: never }), { kind: 'local' });
    assert.deepEqual(await chooseCluster({ env: {}, flag: undefined, ask: never }), { kind: 'local' });
    assert.equal((await chooseCluster({ env: {}, flag: 'current', ask: never })).kind, 'refused');
  });
});
