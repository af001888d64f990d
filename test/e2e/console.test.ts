import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppsV1Api } from '@kubernetes/client-node';
import type { Browser } from 'playwright-core';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../fakes/fake-anthropic-api.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../support/chromium.ts';
import { uniqueName } from '../support/shared.ts';
import { createOwnDeployment } from './approval-clicks.ts';
import { readAudit } from './read-audit.ts';
import { startStack, type Stack } from './start-stack.ts';
import { toolResultsOf } from './support.ts';

const CONSOLE_TOKEN = 'console-e2e-token-6d1a9f-0123456789ab';
// A deployment of this test's own: other test files read the shop fixtures while this one scales.
const NAMESPACE = uniqueName('console');
const DEPLOYMENT = 'web';

describe('web console: login, chat through the queue and worker, approvals, audit, queue health', () => {
  let stack: Stack;
  let browser: Browser;
  let apps: AppsV1Api;
  before(async () => {
    [stack, browser] = await Promise.all([startStack({ env: { CONSOLE_TOKEN, MCP_ENABLE_WRITE_TOOLS: 'true' } }), launchChromium()]);
    ({ apps } = await createOwnDeployment({ namespace: NAMESPACE, name: DEPLOYMENT }));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses anonymous requests, a wrong token, a forged cookie and a cross-site POST', async () => {
    const url = stack.gatewayUrl;
    for (const path of ['/console/api/me', '/console/api/audit', '/console/api/health', '/console/api/conversations', '/console/api/events?conversation=abcdefgh12']) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 401, path);
    }
    const ask = await fetch(`${url}/console/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'pods -n shop' }) });
    assert.equal(ask.status, 401);
    const forged = await fetch(`${url}/console/api/audit`, { headers: { cookie: `ai4k8s_console=alice.${Math.floor(Date.now() / 1000) + 3600}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` } });
    assert.equal(forged.status, 401);

    const wrong = await fetch(`${url}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mallory', token: 'guess' }) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);

    const right = await fetch(`${url}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice', token: CONSOLE_TOKEN }) });
    assert.equal(right.status, 200);
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    assert.equal((await fetch(`${url}/console/api/me`, { headers: { cookie: session } })).status, 200);
    // With a valid session, a POST from another site or as a form is still refused (CSRF).
    const crossSite = await fetch(`${url}/console/api/ask`, {
      method: 'POST',
      headers: { cookie: session, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ text: 'pods -n shop' }),
    });
    assert.equal(crossSite.status, 403);
    const form = await fetch(`${url}/console/api/ask`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=pods' });
    assert.equal(form.status, 415);

    const page = await browser.newPage();
    await page.goto(`${url}/console`);
    await page.locator('#login-name').fill('mallory');
    await page.locator('#login-token').fill('not-the-token');
    await page.locator('#login-submit').click();
    await page.locator('#login-error').filter({ hasText: 'Wrong token' }).waitFor({ timeout: 10_000 });
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
    await consoleLogin(page, { url: stack.gatewayUrl, name: 'alice', token: CONSOLE_TOKEN });
    assert.equal(await page.locator('#ai-banner').isVisible(), false, 'the "AI is not configured" banner shows though a key is set');
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

  it('shows an approval card; the asker cannot approve their own action, another user can, and it really scales', async () => {
    stack.model.reset();
    const scale = { namespace: NAMESPACE, name: DEPLOYMENT, replicas: 4 };
    stack.model.script({ content: [toolUse('deployment_scale', scale)] }, { content: [text('That change is waiting for a human approval.')] });
    const alice = await (await browser.newContext()).newPage();
    await consoleLogin(alice, { url: stack.gatewayUrl, name: 'alice', token: CONSOLE_TOKEN });
    await consoleAsk(alice, `scale ${DEPLOYMENT} in ${NAMESPACE} to 4`, /waiting for a human approval/);
    const card = alice.locator('#messages .card');
    await card.filter({ hasText: /replicas 2 → 4/ }).waitFor({ timeout: 10_000 });
    await card.locator('button.approve').click();
    await card.locator('.card-note').filter({ hasText: /self-approval is not allowed/ }).waitFor({ timeout: 10_000 });
    const replicas = async () => (await apps.readNamespacedDeployment({ namespace: NAMESPACE, name: DEPLOYMENT })).spec?.replicas;
    assert.equal(await replicas(), 2);
    await saveScreenshot(alice, 'console', '04-approval-card');

    const bob = await (await browser.newContext()).newPage();
    await consoleLogin(bob, { url: stack.gatewayUrl, name: 'bob', token: CONSOLE_TOKEN });
    await bob.locator('#nav button[data-view="conversations"]').click();
    await bob.locator('#conversation-list button').filter({ hasText: `scale ${DEPLOYMENT} in ${NAMESPACE}` }).click();
    const bobCard = bob.locator('#messages .card');
    // After the decision the model carries on in the same conversation with the outcome.
    stack.model.script({ content: [text(`Verified: ${DEPLOYMENT} now asks for 4 replicas.`)] });
    await bobCard.locator('button.approve').click();
    await bobCard.locator('.card-outcome').filter({ hasText: 'Approved by bob' }).waitFor({ timeout: 20_000 });
    await bob.locator('#messages .msg.bot').filter({ hasText: /approved by @bob and applied/ }).waitFor({ timeout: 20_000 });
    assert.equal(await replicas(), 4);
    await bob.locator('#messages .msg.bot').filter({ hasText: /Verified: .* now asks for 4 replicas/ }).waitFor({ timeout: 20_000 });
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
    const kinds = events.filter((e) => e.kind.startsWith('approval_')).map((e) => [e.kind, e.platform, e.user, 'by' in e ? e.by : undefined]);
    assert.deepEqual(kinds, [
      ['approval_requested', 'console', 'alice', undefined],
      ['approval_refused', 'console', 'alice', 'alice'],
      ['approval_approved', 'console', 'alice', 'bob'],
      ['approval_executed', 'console', 'alice', 'bob'],
    ]);
  });
});
