import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { refuseInUnitLane } from './unit-lane-guard.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = join(import.meta.dirname, '..', '..');

/** Real headless Chromium (Debian's package) driven by playwright-core; --no-sandbox because tests may run as root. */
export async function launchChromium(): Promise<Browser> {
  refuseInUnitLane('chromium');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Saves a full-page screenshot as a test artifact: test-results/<area>/<name>.png. */
export async function saveScreenshot(page: Page, area: string, name: string): Promise<string> {
  const dir = join(repoRoot, 'test-results', area);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Signs in on the console's login form with an account's `password` or the shared `token` (the same field, left
 * empty when neither is given).
 */
export async function consoleLogin(
  page: Page,
  { url, name, password, token }: { url: string; name: string; password?: string | undefined; token?: string | undefined },
): Promise<void> {
  await page.goto(`${url}/console`);
  await page.locator('#login-name').fill(name);
  const secret = password ?? token;
  if (secret !== undefined) await page.locator('#login-password').fill(secret);
  await page.locator('#login-submit').click();
  await page.locator('#chat-view').waitFor({ state: 'visible', timeout: 10_000 });
}

/** Asks in the console's chat box and waits for the finished answer (no "Working on it" left) containing `expect`. */
export async function consoleAsk(page: Page, question: string, expect: RegExp, timeoutMs = 30_000): Promise<string> {
  await page.locator('#question').fill(question);
  await page.locator('#ask').click();
  const answer = page.locator('#messages .msg.bot:not(.working)').filter({ hasText: expect }).last();
  await answer.waitFor({ state: 'visible', timeout: timeoutMs });
  return answer.innerText();
}
