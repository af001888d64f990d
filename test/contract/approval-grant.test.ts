import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actionDigest,
  argumentsDigest,
  signApprovalGrant,
  verifyApprovalGrant,
  type ApprovalBinding,
} from '../../src/contract/approval-grant.ts';
import { canonicalJson } from '../../src/contract/canonical-json.ts';

const KEY = 'k'.repeat(40);
const binding: ApprovalBinding = {
  tool: 'deployment_scale',
  arguments: { namespace: 'shop', name: 'web', replicas: 5 },
  context: 'prod',
  user: 'slack:T1:U1',
};
const sign = (over: Partial<Parameters<typeof signApprovalGrant>[0]> = {}) =>
  signApprovalGrant({ key: KEY, binding, approval: 'a'.repeat(32), by: 'slack:T1:U2', ttlMs: 60_000, ...over });
const codeOf = (verdict: ReturnType<typeof verifyApprovalGrant>) => (verdict.ok ? 'ok' : verdict.code);

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined fields', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ é: 1, e: 2, E: 3 }), '{"E":3,"e":2,"é":1}');
    assert.equal(canonicalJson(undefined), 'null');
  });
});

describe('approval grant', () => {
  it('binds the arguments whatever their key order, and never dryRun', () => {
    assert.equal(argumentsDigest({ replicas: 5, name: 'web', namespace: 'shop', dryRun: false }), argumentsDigest(binding.arguments));
    assert.notEqual(argumentsDigest({ ...binding.arguments, replicas: 6 }), argumentsDigest(binding.arguments));
    assert.match(actionDigest(binding), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(actionDigest(binding), actionDigest({ ...binding, user: undefined }));
    assert.notEqual(actionDigest(binding), actionDigest({ ...binding, context: 'staging' }));
  });

  it('verifies for exactly the signed call', () => {
    const verdict = verifyApprovalGrant({
      key: KEY,
      grant: sign(),
      binding: { ...binding, arguments: { ...binding.arguments, dryRun: false } },
    });
    assert.equal(codeOf(verdict), 'ok');
    assert.equal(verdict.ok && verdict.claims.approval, 'aaaaaaaa');
    assert.equal(verdict.ok && verdict.claims.by, 'slack:T1:U2');
  });

  it('refuses a missing, malformed, forged or tampered grant', () => {
    assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant: undefined, binding })), 'grant_missing');
    for (const grant of ['v1.x', 'v2.a.b', 42, { id: 1 }, `v1.${'a'.repeat(5000)}.b`]) {
      assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant, binding })), 'grant_malformed', JSON.stringify(grant).slice(0, 20));
    }
    assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant: sign({ key: 'x'.repeat(40) }), binding })), 'grant_bad_signature');
    const [version, payload, mac] = sign().split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, exp: Date.now() + 86_400_000 })).toString('base64url');
    assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant: `${version}.${widened}.${mac}`, binding })), 'grant_bad_signature');
  });

  it('refuses an expired grant and one issued in the future', () => {
    assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant: sign({ now: Date.now() - 120_000 }), binding })), 'grant_expired');
    assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant: sign({ now: Date.now() + 120_000 }), binding })), 'grant_expired');
  });

  it('refuses a grant for another tool, other arguments, another context or another user', () => {
    const grant = sign();
    const cases: [Partial<ApprovalBinding>, string][] = [
      [{ tool: 'pod_delete' }, 'grant_other_tool'],
      [{ arguments: { ...binding.arguments, replicas: 50 } }, 'grant_other_arguments'],
      [{ arguments: { ...binding.arguments, context: 'prod' } }, 'grant_other_arguments'],
      [{ context: 'staging' }, 'grant_other_context'],
      [{ user: 'slack:T1:U9' }, 'grant_other_user'],
      [{ user: undefined }, 'grant_other_user'],
    ];
    for (const [over, code] of cases)
      assert.equal(codeOf(verifyApprovalGrant({ key: KEY, grant, binding: { ...binding, ...over } })), code, JSON.stringify(over));
  });
});
