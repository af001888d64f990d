import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../cluster/fixture-names.ts';
import { clusterBinariesCached } from '../../scripts/demo-prerequisites.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../support/chromium.ts';
import { newcomerEnv, startDemo, type RunningDemo } from './start-demo.ts';

describe('npm run demo: one command from a clean checkout to a working console', { skip: clusterBinariesCached() ? false : 'the test cluster binaries are not built (npm run test-cluster builds them)' }, () => {
  let demo: RunningDemo | undefined;
  // Only if the test failed before stopping it: the whole process group, as Ctrl-C in a terminal would.
  after(() => demo?.kill());

  it('starts Redis, the seeded cluster and the product, answers `pods -n shop` in direct mode in Chromium, and stops everything on Ctrl-C', async () => {
    demo = await startDemo({ env: newcomerEnv() });
    assert.match(demo.output(), /AI:\s+off: set ANTHROPIC_API_KEY/);
    const commands = demo.started.map((p) => p.command);
    assert.ok(commands.some((c) => c.startsWith('redis-server')), `no redis-server among ${commands.join(', ')}`);
    assert.ok(commands.some((c) => c.startsWith('kube-apiserver')), `no kube-apiserver among ${commands.join(', ')}`);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await consoleLogin(page, { url: demo.url, name: 'newcomer', token: demo.token });
      assert.match(await page.locator('#ai-banner').innerText(), /AI is not configured[\s\S]*ANTHROPIC_API_KEY/);
      const answer = await consoleAsk(page, `pods -n ${SHOP_NAMESPACE}`, new RegExp(CHECKOUT_POD), 60_000);
      assert.match(answer, /CrashLoopBackOff/);
      assert.match(answer, /direct mode/);
      await saveScreenshot(page, 'demo', 'direct-mode-answer');
    } finally {
      await browser.close();
    }

    await demo.interruptAndCheckStopped();
  });
});
