import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { consoleAsk, consoleLogin, launchChromium } from '../../dev/services/chromium.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const CONSOLE_TOKEN = 'console-wide-answer-token-2f8c5a1e9d7b';

/** One log line of 5,000 characters: readable words, nothing a redactor would take for a credential. */
const LOG_LINE =
  `2026-12-03T10:00:00Z ERROR checkout ${'request failed while calling the cart service at /cart/items, retrying; '.repeat(80)}`.slice(
    0,
    5_000,
  );
const ROWS = 200;
const ANSWER = [
  '## Checkout is failing',
  'The last log line of `checkout`:',
  '```',
  LOG_LINE,
  '```',
  `All ${ROWS} pods of the namespace:`,
  '| Pod | Status | Restarts | Node |',
  '|:----|:------:|---------:|------|',
  ...Array.from(
    { length: ROWS },
    (_, i) => `| checkout-7f9c4d-${String(i).padStart(3, '0')} | Running | ${i % 7} | node-${i % 5}.cluster.example.internal |`,
  ),
  '',
  'The table ends here.',
].join('\n');

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** scrollWidth, clientWidth and the computed overflow-x of the first element `selector` finds in the last answer. */
async function scrollOf(page: Page, selector: string): Promise<{ scrollWidth: number; clientWidth: number; overflowX: string }> {
  // A string expression: the test's tsconfig has no DOM types.
  const measured = await page.evaluate(`(() => {
    const e = [...document.querySelectorAll('#messages .msg.bot')].pop().querySelector(${JSON.stringify(selector)});
    return { scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, overflowX: getComputedStyle(e).overflowX };
  })()`);
  return measured as { scrollWidth: number; clientWidth: number; overflowX: string };
}

describe('web console in Chromium: an answer with a 5,000-character log line and a 200-row table never widens the page', () => {
  let stack: Stack;
  let browser: Browser;
  const screenshots = mkdtempSync(join(tmpdir(), 'ai4k8s-console-wide-'));
  before(async () => {
    [stack, browser] = await Promise.all([startStack({ env: { CONSOLE_TOKEN } }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const [name, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    it(`${name} (${width}px): the table is a <table> of ${ROWS} body rows and the log line scrolls inside its code block`, async () => {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await consoleLogin(page, { url: stack.gatewayUrl, name: 'sre', token: CONSOLE_TOKEN });
      stack.model.reset();
      stack.model.script({ content: [text(ANSWER)] });
      await consoleAsk(page, 'why is checkout failing? show me its last log line and every pod', /The table ends here/);

      const answer = page.locator('#messages .msg.bot').last();
      const table = answer.locator('.table-wrap > table');
      assert.equal(await table.count(), 1, 'one real <table>');
      assert.equal(await table.locator('thead th').count(), 4);
      assert.equal(await table.locator('tbody > tr').count(), ROWS);
      assert.equal(await table.locator('tbody > tr').nth(199).locator('td').first().innerText(), 'checkout-7f9c4d-199');
      assert.equal(await table.locator('tbody > tr').first().locator('td').nth(2).getAttribute('class'), 'align-right');
      const wrap = await scrollOf(page, '.table-wrap');
      assert.equal(wrap.overflowX, 'auto');
      assert.ok(wrap.clientWidth <= width, `the table's wrapper is ${wrap.clientWidth}px wide`);
      if (name === 'phone') assert.ok(wrap.scrollWidth > wrap.clientWidth, 'on a phone the table scrolls inside its wrapper');

      const code = answer.locator('.code pre code');
      assert.ok((await code.innerText()).includes(LOG_LINE), 'the whole log line is in the code block');
      const pre = await scrollOf(page, '.code pre');
      assert.equal(pre.overflowX, 'auto');
      assert.ok(pre.scrollWidth > pre.clientWidth, `the log line scrolls inside its block (${pre.scrollWidth} > ${pre.clientWidth})`);
      assert.ok(pre.clientWidth <= width);

      const pageWidth = Number(await page.evaluate('document.scrollingElement.scrollWidth'));
      assert.ok(pageWidth <= width, `page is ${pageWidth}px wide in a ${width}px viewport`);
      const path = join(screenshots, `wide-answer-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      const shot = pngSize(path);
      // A full-page screenshot is as wide as the page: the viewport's width when nothing overflows sideways.
      assert.equal(shot.width, width);
      assert.ok(shot.height > height, `the page is taller than the viewport (${shot.height}px): the 200 rows are laid out`);
      assert.ok(statSync(path).size > 10_000);
      await context.close();
    });
  }
});
