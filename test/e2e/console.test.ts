import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import type { Browser } from 'playwright-core';
import { hashConsolePassword } from '../../adapters/console/console-password.ts';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../../dev/services/chromium.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { createOwnDeployment } from '../../dev/stack/approval-clicks.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf } from './support.ts';

const CONSOLE_TOKEN = 'console-e2e-token-6d1a9f-3c8e0b7a2d41';
const PASSWORDS = { alice: 'alice-console-password-8f2e', bob: 'bob-console-password-41c9' };
/** The authenticating proxy's address: the tests' requests from 127.0.0.1 are someone else. */
const PROXY = '127.0.0.2';

/** A console accounts file (CONSOLE_USERS_FILE) with alice and bob. */
async function writeUsersFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'ai4k8s-console-users-')), 'users');
  writeFileSync(
    path,
    `${(await Promise.all(Object.entries(PASSWORDS).map(async ([name, password]) => `${name}:${await hashConsolePassword(password)}`))).join('\n')}\n`,
  );
  return path;
}

/**
 * A request from `from` (the proxy's address, or any other local one) with `headers`: the body, or for an event
 * stream everything until `until` shows up.
 */
function fromPeer(
  url: string,
  {
    from,
    path,
    method = 'GET',
    headers = {},
    body,
    until,
  }: { from: string; path: string; method?: string; headers?: Record<string, string>; body?: unknown; until?: RegExp },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method, localAddress: from, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } },
      (res) => {
        let text = '';
        const timer = setTimeout(() => res.destroy(), 20_000);
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (until?.test(text) === true) res.destroy();
        });
        res.on('close', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text });
        });
      },
    );
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
// A deployment of this test's own: other test files read the shop fixtures while this one scales.
const NAMESPACE = uniqueName('console');
const DEPLOYMENT = 'web';

describe('web console: verified login, chat through the queue and worker, approvals, audit, queue health', () => {
  let stack: Stack;
  let browser: Browser;
  let apps: AppsV1Api;
  before(async () => {
    const env = {
      CONSOLE_TOKEN,
      CONSOLE_USERS_FILE: await writeUsersFile(),
      CONSOLE_SESSION_SECRET: 'console-e2e-session-secret-5b0d2f9c7a1e4',
      CONSOLE_TRUSTED_PROXIES: PROXY,
      MCP_ENABLE_WRITE_TOOLS: 'true',
    };
    [stack, browser] = await Promise.all([startStack({ env }), launchChromium()]);
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses anonymous requests, a wrong password, an account name with the shared token, a forged cookie and a cross-site POST', async () => {
    const url = stack.gatewayUrl;
    for (const path of [
      '/console/api/me',
      '/console/api/audit',
      '/console/api/health',
      '/console/api/conversations',
      '/console/api/events?conversation=abcdefgh12',
    ]) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 401, path);
    }
    const ask = await fetch(`${url}/console/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'pods -n shop' }),
    });
    assert.equal(ask.status, 401);
    const payload = Buffer.from(JSON.stringify({ n: 'alice', k: 'password', f: 'x', e: Math.floor(Date.now() / 1000) + 3600 })).toString(
      'base64url',
    );
    for (const cookie of [
      `ai4k8s_console=${payload}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      `ai4k8s_console=alice.${Math.floor(Date.now() / 1000) + 3600}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    ]) {
      assert.equal((await fetch(`${url}/console/api/audit`, { headers: { cookie } })).status, 401, cookie);
    }

    const signIn = (name: string, password: string) =>
      fetch(`${url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password }),
      });
    for (const [name, password] of [
      ['mallory', 'guess'],
      ['alice', 'guess'],
      ['alice', PASSWORDS.bob],
      ['alice', CONSOLE_TOKEN],
      ['nobody-here', PASSWORDS.alice],
    ]) {
      const wrong = await signIn(name ?? '', password ?? '');
      assert.equal(wrong.status, 401, `${name} signed in with ${password}`);
      assert.deepEqual(await wrong.json(), { error: 'wrong_credentials' });
      assert.equal(wrong.headers.get('set-cookie'), null);
    }

    const right = await signIn('alice', PASSWORDS.alice);
    assert.equal(right.status, 200);
    assert.deepEqual(await right.json(), { name: 'alice', verified: true });
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    const me = (await (await fetch(`${url}/console/api/me`, { headers: { cookie: session } })).json()) as Record<string, unknown>;
    assert.deepEqual([me.identity, me.verified, me.canApprove, me.policyId], ['console:alice', true, true, 'console:console:alice']);
    // With a valid session, a POST from another site or as a form is still refused (CSRF).
    const crossSite = await fetch(`${url}/console/api/ask`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ text: 'pods -n shop' }),
    });
    assert.equal(crossSite.status, 403);
    const form = await fetch(`${url}/console/api/ask`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'text=pods',
    });
    assert.equal(form.status, 415);

    const page = await browser.newPage();
    await page.goto(`${url}/console`);
    await page.locator('#login-name').fill('mallory');
    await page.locator('#login-password').fill('not-the-password');
    await page.locator('#login-submit').click();
    await page.locator('#login-error').filter({ hasText: 'Wrong name, password or token' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#chat-view').isVisible(), false);
    await saveScreenshot(page, 'console', '01-wrong-token');
    await page.close();
  });

  it('answers a question with real cluster data, streamed into the page', async () => {
    stack.model.reset();
    stack.model.script({ content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })] }, (request: MessagesRequest) => ({
      content: [text(`The pods in ${SHOP_NAMESPACE}:\n\n\`\`\`\n${toolResultsOf(request)[0]?.text ?? ''}\n\`\`\``)],
    }));
    const page = await browser.newPage();
    await consoleLogin(page, { url: stack.gatewayUrl, name: 'alice', password: PASSWORDS.alice });
    assert.equal(await page.locator('#ai-banner').isVisible(), false, 'the "AI is not configured" banner shows though a key is set');
    assert.equal(await page.locator('#unverified-banner').isVisible(), false);
    const answer = await consoleAsk(page, `what pods run in ${SHOP_NAMESPACE}?`, new RegExp(CHECKOUT_POD));
    assert.match(answer, /CrashLoopBackOff/);
    assert.equal(stack.model.requests.length, 2);
    await saveScreenshot(page, 'console', '02-answer');

    await page.locator('#nav button[data-view="health"]').click();
    const chatRow = page.locator('#health-table tr[data-queue="chat"]');
    await chatRow.waitFor({ timeout: 10_000 });
    assert.ok(Number(await chatRow.locator('td.workers').innerText()) >= 1, 'no chat worker counted');
    await saveScreenshot(page, 'console', '03-queue-health');
    await page.close();
  });

  it('shows an approval card; the asker cannot approve their own action, a shared-token session gets no buttons, another verified user approves, and it really scales', async () => {
    stack.model.reset();
    const scale = { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 4 };
    stack.model.script(
      { content: [toolUse('deployment_scale', scale)] },
      { content: [text('That change is waiting for a human approval.')] },
    );
    const alice = await (await browser.newContext()).newPage();
    await consoleLogin(alice, { url: stack.gatewayUrl, name: 'alice', password: PASSWORDS.alice });
    await consoleAsk(alice, `scale ${DEPLOYMENT} in ${NAMESPACE} to 4`, /waiting for a human approval/);
    const card = alice.locator('#messages .card');
    await card.filter({ hasText: /replicas 2 → 4/ }).waitFor({ timeout: 10_000 });
    await card.locator('button.approve').click();
    await card
      .locator('.card-note')
      .filter({ hasText: /self-approval is not allowed/ })
      .waitFor({ timeout: 10_000 });
    const replicas = async () => (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas;
    assert.equal(await replicas(), 2);
    await saveScreenshot(alice, 'console', '04-approval-card');

    // Someone with only the shared token sees the card but cannot decide it.
    const carol = await (await browser.newContext()).newPage();
    await consoleLogin(carol, { url: stack.gatewayUrl, name: 'carol', token: CONSOLE_TOKEN });
    await carol.locator('#unverified-banner').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await carol.locator('#who').innerText(), /console:carol \(unverified\)/);
    await carol.locator('#nav button[data-view="conversations"]').click();
    await carol
      .locator('#conversation-list button')
      .filter({ hasText: `scale ${DEPLOYMENT} in ${NAMESPACE}` })
      .click();
    const carolCard = carol.locator('#messages .card');
    await carolCard
      .locator('.card-note.unverified')
      .filter({ hasText: /needs a verified identity/ })
      .waitFor({ timeout: 10_000 });
    assert.equal(await carolCard.locator('button').count(), 0, 'a shared-token session was offered Approve / Deny');
    await saveScreenshot(carol, 'console', '04b-shared-token-card');
    await carol.close();

    const bob = await (await browser.newContext()).newPage();
    await consoleLogin(bob, { url: stack.gatewayUrl, name: 'bob', password: PASSWORDS.bob });
    await bob.locator('#nav button[data-view="conversations"]').click();
    await bob
      .locator('#conversation-list button')
      .filter({ hasText: `scale ${DEPLOYMENT} in ${NAMESPACE}` })
      .click();
    const bobCard = bob.locator('#messages .card');
    // After the decision the model carries on in the same conversation with the outcome.
    stack.model.script({ content: [text(`Verified: ${DEPLOYMENT} now asks for 4 replicas.`)] });
    await bobCard.locator('button.approve').click();
    await bobCard.locator('.card-outcome').filter({ hasText: 'Approved by bob' }).waitFor({ timeout: 20_000 });
    await bob
      .locator('#messages .msg.bot')
      .filter({ hasText: /approved by @bob and applied/ })
      .waitFor({ timeout: 20_000 });
    assert.equal(await replicas(), 4);
    await bob
      .locator('#messages .msg.bot')
      .filter({ hasText: /Verified: .* now asks for 4 replicas/ })
      .waitFor({ timeout: 20_000 });
    // Alice's page shows the outcome too: it streams the same conversation.
    await card.locator('.card-outcome').filter({ hasText: 'Approved by bob' }).waitFor({ timeout: 10_000 });
    await saveScreenshot(bob, 'console', '05-approved');

    await bob.locator('#nav button[data-view="audit"]').click();
    const executed = bob.locator('#audit-table tr[data-kind="approval_executed"]');
    await executed.first().waitFor({ timeout: 10_000 });
    const row = await executed.first().innerText();
    assert.match(row, /console:alice/);
    assert.match(row, /console:bob/);
    assert.match(row, /deployment_scale/);
    await saveScreenshot(bob, 'console', '06-audit');

    const { events } = await readAudit(stack.redis, stack.prefix);
    const kinds = events
      .filter((e) => e.kind.startsWith('approval_'))
      .map((e) => [e.kind, e.platform, e.user, 'by' in e ? e.by : undefined]);
    assert.deepEqual(kinds, [
      ['approval_requested', 'console', 'alice', undefined],
      ['approval_refused', 'console', 'alice', 'alice'],
      ['approval_approved', 'console', 'alice', 'bob'],
      ['approval_executed', 'console', 'alice', 'bob'],
    ]);
  });

  it('takes the single sign-on proxy’s identity header only from CONSOLE_TRUSTED_PROXIES, and that user may approve', async () => {
    const url = stack.gatewayUrl;
    const dave = { 'x-forwarded-email': 'dave@example.com' };
    const me = await fromPeer(url, { from: PROXY, path: '/console/api/me', headers: dave });
    assert.equal(me.status, 200);
    const body = JSON.parse(me.text) as Record<string, unknown>;
    assert.deepEqual(
      [body.identity, body.verified, body.via, body.canApprove, body.policyId],
      ['console:dave@example.com', true, 'proxy', true, 'console:console:dave@example.com'],
    );
    // Anyone else naming a user in the header is refused, whatever else they carry; so is a malformed name.
    for (const [from, headers, code] of [
      ['127.0.0.1', dave, 'untrusted_identity_header'],
      ['127.0.0.3', { 'x-forwarded-email': 'alice' }, 'untrusted_identity_header'],
      [PROXY, { 'x-forwarded-email': 'dave example' }, 'invalid_identity_header'],
    ] as const) {
      for (const path of ['/console/api/me', '/console/api/audit', '/console/api/conversations']) {
        const refused = await fromPeer(url, { from, path, headers });
        assert.equal(refused.status, 403, `${from} ${path}: ${refused.text}`);
        assert.equal((JSON.parse(refused.text) as { error?: string }).error, code);
      }
    }
    assert.equal((await fromPeer(url, { from: PROXY, path: '/console/api/me' })).status, 401, 'the proxy without a user is nobody');

    // Alice asks for a change; Dave, signed in by the proxy, approves it.
    stack.model.reset();
    stack.model.script(
      { content: [toolUse('deployment_scale', { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 3 })] },
      { content: [text('That change is waiting for a human approval.')] },
      { content: [text('Scaled to 3.')] },
    );
    const login = await fetch(`${url}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: PASSWORDS.alice }),
    });
    const alice = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const conversationId = 'proxyapproval0conversation';
    const asked = await fetch(`${url}/console/api/ask`, {
      method: 'POST',
      headers: { cookie: alice, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, requestId: 'proxyreq0001', text: `scale ${DEPLOYMENT} to 3` }),
    });
    assert.equal(asked.status, 202);
    const events = await fromPeer(url, {
      from: PROXY,
      path: `/console/api/events?conversation=${conversationId}`,
      headers: dave,
      until: /waiting for a human approval/,
    });
    const token = /"type":"approval".*?"token":"([a-f0-9]{32})"/.exec(events.text)?.[1];
    const digest = /"type":"approval".*?"actionDigest":"([A-Za-z0-9_-]+)"/.exec(events.text)?.[1];
    assert.ok(token !== undefined && digest !== undefined, events.text);
    const decided = await fromPeer(url, {
      from: PROXY,
      method: 'POST',
      path: '/console/api/approval',
      headers: dave,
      body: { token, digest, decision: 'approved', conversationId },
    });
    assert.equal(decided.status, 200, decided.text);
    assert.equal((JSON.parse(decided.text) as { done?: boolean }).done, true);
    await stack.model.waitForRequests(3, 20_000);
    const approved = (await readAudit(stack.redis, stack.prefix)).events.find(
      (e) => e.kind === 'approval_approved' && 'approval' in e && e.approval === token.slice(0, 8),
    );
    assert.equal(approved !== undefined && 'by' in approved ? approved.by : undefined, 'dave@example.com');
  });
});
