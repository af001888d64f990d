import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../../dev/services/chromium.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const CONSOLE_TOKEN = 'console-layout-token-4b7e1d9a2c6f0e83';

/** The page never scrolls sideways, and every navigation button is inside the viewport. */
async function assertFits(page: Page, width: number): Promise<void> {
  // A string expression: the test's tsconfig has no DOM types.
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(scrollWidth <= width, `page is ${scrollWidth}px wide in a ${width}px viewport`);
  for (const button of await page.locator('#nav button').all()) {
    const box = await button.boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= width, `nav button outside the viewport: ${JSON.stringify(box)}`);
  }
}

describe('web console layout in Chromium: per-surface help rendered as Markdown, no sideways overflow at desktop and phone widths', () => {
  let stack: Stack;
  let browser: Browser;
  before(async () => {
    [stack, browser] = await Promise.all([startStack({ env: { ANTHROPIC_API_KEY: '', CONSOLE_TOKEN } }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const [name, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    it(`${name} (${width}px): help is the console's, lists render as elements, a 4,000-character line and a wide table stay inside`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await context.newPage();
      await consoleLogin(page, { url: stack.gatewayUrl, name: 'sre', token: CONSOLE_TOKEN });
      const help = await consoleAsk(page, 'help', /kubectl-style commands/);
      assert.doesNotMatch(help, /\/k8s|@ai4k8s|\*kubectl/);
      const answer = page.locator('#messages .msg.bot').last();
      assert.ok((await answer.locator('li').count()) >= 5, 'the command examples are list items');
      assert.ok((await answer.locator('strong').count()) >= 1, '**bold** is an element');
      await consoleAsk(page, 'x'.repeat(4_000), /AI is not configured/);
      await consoleAsk(page, 'get pods -A -o wide', /direct mode/);
      const source = page.locator('#messages .msg.bot .text').last();
      assert.match(await source.innerText(), /from the cluster: pods in all namespaces/);
      assert.doesNotMatch(await source.innerText(), /UNTRUSTED DATA|untrusted-cluster-data/);
      // Copy: the button carries the block's text and puts it on the clipboard.
      const block = page.locator('#messages .msg.bot .code').last();
      const code = await block.locator('code').innerText();
      assert.equal(await block.locator('button.copy').getAttribute('data-copy'), code);
      await block.locator('button.copy').click();
      await block.locator('button.copy', { hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), code);
      // History: Up recalls earlier questions, newest first; Down walks back to an empty box.
      const box = page.locator('#question');
      await box.focus();
      await box.press('ArrowUp');
      assert.equal(await box.inputValue(), 'get pods -A -o wide');
      await box.press('ArrowUp');
      assert.equal(await box.inputValue(), 'x'.repeat(4_000));
      await box.press('ArrowDown');
      await box.press('ArrowDown');
      assert.equal(await box.inputValue(), '');
      await assertFits(page, width);
      await saveScreenshot(page, 'console', `layout-${name}`);
      await context.close();
    });
  }
});
