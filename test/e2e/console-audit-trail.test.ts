import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { consoleAsk, consoleLogin, launchChromium } from '../../dev/services/chromium.ts';
import { readAudit } from '../../dev/stack/read-audit.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const CONSOLE_TOKEN = 'console-audit-trail-token-7c3e9b1d5a20';
const SLACK_QUESTION = 'is anything wrong in the shop namespace today?';
const OTHER_QUESTION = 'is the payments namespace quiet tonight?';
const QUESTION = 'why is checkout crashing in shop?';

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('web console: each answer links to its audit trail, and audit rows name their conversation', () => {
  let stack: Stack;
  let browser: Browser;
  before(async () => {
    [stack, browser] = await Promise.all([startStack({ env: { CONSOLE_TOKEN } }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the answer’s "Audit trail" link shows only its conversation’s rows, named by platform, channel and question; Show all names a Slack question too', async () => {
    // A Slack question: its rows must name the Slack channel and the question's first words.
    stack.model.reset();
    stack.model.script({ content: [text('Nothing is wrong in shop.')] });
    await stack.slashCommand({ text: SLACK_QUESTION, userId: 'U0AUDIT01', channelId: 'C0AUDIT01' });
    await waitFor(
      async () => (await readAudit(stack.redis, stack.prefix)).events.some((e) => e.kind === 'answer' && e.platform === 'slack'),
      'the Slack answer',
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await consoleLogin(page, { url: stack.gatewayUrl, name: 'sre', token: CONSOLE_TOKEN });
    // Another console conversation first, whose rows must not show in the filtered trail.
    stack.model.script({ content: [text('Payments is all quiet.')] });
    await consoleAsk(page, OTHER_QUESTION, /all quiet/);
    await page.locator('#new-conversation').click();
    stack.model.script(
      { content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })] },
      { content: [text('Checkout is crash-looping.')] },
    );
    await consoleAsk(page, QUESTION, /crash-looping/);

    const link = page.locator('#messages .msg.bot').last().locator('a.audit-link');
    const href = (await link.getAttribute('href')) ?? '';
    const conversation = /^#\/audit\?conversation=([0-9a-f]{20})$/.exec(href)?.[1];
    assert.ok(conversation !== undefined, `the link names the conversation: ${href}`);
    // The worker records an answer's audit event just after delivering it.
    await waitFor(
      async () => (await readAudit(stack.redis, stack.prefix)).events.some((e) => e.kind === 'answer' && e.channel === conversation),
      'the answer event',
    );
    await link.click();
    await page.locator('#audit-view').waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('#audit-table tbody tr[data-kind="answer"]').first().waitFor({ timeout: 10_000 });
    assert.ok(page.url().endsWith(`#/audit?conversation=${conversation}`));
    assert.match(await page.locator('#audit-filter').innerText(), /why is checkout crashing in shop\?/);

    const where = await page.locator('#audit-table tbody td.where').allInnerTexts();
    const kinds = await Promise.all((await page.locator('#audit-table tbody tr').all()).map((row) => row.getAttribute('data-kind')));
    assert.deepEqual([...new Set(kinds)].sort(), ['answer', 'model_call', 'tool_call']);
    assert.match(await page.locator('#audit-table tbody tr[data-kind="tool_call"]').first().innerText(), /pods_list/);
    const expected = `console ${conversation.slice(0, 8)}… “${QUESTION}” @ `;
    for (const cell of where) assert.ok(cell.startsWith(expected), `row named "${cell}", expected "${expected}…"`);
    assert.equal(
      where.length,
      (await readAudit(stack.redis, stack.prefix)).events.filter((e) => e.channel === conversation).length,
      'every event of the conversation, no other',
    );

    // Show all: the other conversation's rows and the Slack question's, each named by its question.
    await page.locator('#audit-filter a').click();
    await page
      .locator('#audit-table tbody td.where', { hasText: `slack C0AUDIT01 “${SLACK_QUESTION}”` })
      .first()
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#audit-filter').isVisible(), false);
    assert.ok((await page.locator('#audit-table tbody td.where', { hasText: `“${OTHER_QUESTION}”` }).count()) > 0);

    // The address alone opens the filtered trail (a reload, or the link shared with a colleague).
    const again = await context.newPage();
    await again.goto(`${stack.gatewayUrl}/console${href}`);
    await again.locator('#audit-table tbody tr[data-kind="tool_call"]').first().waitFor({ timeout: 10_000 });
    assert.equal(await again.locator('#audit-table tbody td.where', { hasText: OTHER_QUESTION }).count(), 0);
    await again.screenshot({ path: join(mkdtempSync(join(tmpdir(), 'ai4k8s-console-audit-')), 'audit-trail.png'), fullPage: true });
    await context.close();
  });
});
