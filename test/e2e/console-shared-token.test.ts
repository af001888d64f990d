import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import { CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { createOwnDeployment } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { consolePost, consoleSignIn, readConsoleEvents } from '../../dev/support/console-session.ts';
import { sleep } from './support.ts';

const CONSOLE_TOKEN = 'console-shared-token-e2e-0c7d41b9a5e2f3';
const NAMESPACE = uniqueName('console-shared');
const DEPLOYMENT = 'web';

/** Signs in with the shared token under a self-chosen name; returns the session cookie. */
const sharedLogin = (stack: Stack, name: string) => consoleSignIn({ gatewayUrl: stack.gatewayUrl, name, password: CONSOLE_TOKEN });

const post = (stack: Stack, path: string, cookie: string, body: unknown) =>
  consolePost({ gatewayUrl: stack.gatewayUrl, path, cookie, body });

const readEvents = (stack: Stack, cookie: string, conversationId: string, until: RegExp) =>
  readConsoleEvents({ gatewayUrl: stack.gatewayUrl, cookie, conversationId, until });

describe('web console with only the shared CONSOLE_TOKEN: anyone may ask and read, nobody may approve', () => {
  let stack: Stack;
  let apps: AppsV1Api;
  before(async () => {
    stack = await startStack({ env: { CONSOLE_TOKEN, MCP_ENABLE_WRITE_TOOLS: 'true' } });
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await stack.stop();
  });

  it("two sessions under different names with one shared token cannot approve (or deny) each other's change", async () => {
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 4 })] },
      { content: [text('That change is waiting for a human approval.')] },
    );
    const alice = await sharedLogin(stack, 'alice');
    const bob = await sharedLogin(stack, 'bob');
    const conversationId = 'sharedtoken0conversation';
    const asked = await post(stack, '/console/api/ask', alice, {
      conversationId,
      requestId: 'sharedreq001',
      text: `scale ${DEPLOYMENT} in ${NAMESPACE} to 4`,
    });
    assert.equal(asked.status, 202);
    const events = await readEvents(stack, bob, conversationId, /waiting for a human approval/);
    const token = /"type":"approval".*?"token":"([a-f0-9]{32})"/.exec(events)?.[1];
    assert.ok(token !== undefined, `no approval card in ${events}`);

    for (const [who, cookie, decision] of [
      ['bob', bob, 'approved'],
      ['alice', alice, 'approved'],
      ['bob', bob, 'denied'],
    ] as const) {
      const response = await post(stack, '/console/api/approval', cookie, { token, decision, conversationId });
      const body = (await response.json()) as { error?: string; message?: string; done?: boolean };
      assert.equal(response.status, 403, `${who} ${decision}: ${JSON.stringify(body)}`);
      assert.equal(body.error, 'verified_identity_required');
      assert.match(body.message ?? '', /shared console token/);
    }
    await sleep(300);
    assert.equal(
      (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas,
      2,
      'a shared-token session changed the cluster',
    );
    const { events: audit } = await readAudit(stack.redis, stack.prefix);
    assert.deepEqual(
      audit.filter((e) => e.kind.startsWith('approval_')).map((e) => e.kind),
      ['approval_requested'],
      'a shared-token click reached the approval decision',
    );
  });

  it('says who is signed in, unverified, and that they cannot approve', async () => {
    const me = await fetch(`${stack.gatewayUrl}/console/api/me`, { headers: { cookie: await sharedLogin(stack, 'carol') } });
    const body = (await me.json()) as Record<string, unknown>;
    assert.equal(body.verified, false);
    assert.equal(body.canApprove, false);
    assert.equal(body.identity, 'console:carol (unverified)');
    assert.equal(body.policyId, null);
  });
});

describe('web console with only the shared CONSOLE_TOKEN: a self-chosen name maps to no policy identity', () => {
  let stack: Stack;
  before(async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'ai4k8s-console-policy-')), 'policy.yaml');
    // The real alice may read as viewer; anyone else is refused.
    writeFileSync(
      policy,
      ['identities:', '  unmapped: refuse', '  users:', '    "console:console:alice": { user: viewer }', ''].join('\n'),
    );
    stack = await startStack({ env: { CONSOLE_TOKEN, AI4K8S_POLICY: policy, ANTHROPIC_API_KEY: '' } });
  });
  after(async () => {
    await stack.stop();
  });

  it('a shared-token session named alice does not read as the policy’s alice: its tool calls name no user and are refused', async () => {
    const alice = await sharedLogin(stack, 'alice');
    const conversationId = 'sharedtoken0identity';
    assert.equal(
      (await post(stack, '/console/api/ask', alice, { conversationId, requestId: 'sharedreq002', text: 'pods -n shop' })).status,
      202,
    );
    const events = await readEvents(stack, alice, conversationId, /direct mode/);
    assert.ok(!events.includes(CHECKOUT_POD), `a shared-token session read the cluster as the policy's alice:\n${events}`);
    assert.match(events, /named no user/);
  });
});
