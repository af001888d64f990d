import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { clusterBinariesCached } from '../../scripts/demo-prerequisites.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../../dev/services/chromium.ts';
import { newcomerEnv, startDemo, type RunningDemo } from './start-demo.ts';

describe(
  'npm run demo: one command from a clean checkout to a working console',
  { skip: clusterBinariesCached() ? false : 'the test cluster binaries are not built (npm run test-cluster builds them)' },
  () => {
    let demo: RunningDemo | undefined;
    // Only if the test failed before stopping it: the whole process group, as Ctrl-C in a terminal would.
    after(() => demo?.kill());

    it('starts Redis, the seeded cluster and the product, answers `pods -n shop` in direct mode in Chromium, and stops everything on Ctrl-C', async () => {
      demo = await startDemo({ env: newcomerEnv() });
      assert.match(demo.output(), /AI:\s+off: set ANTHROPIC_API_KEY/);
      const commands = demo.started.map((p) => p.command);
      assert.ok(
        commands.some((c) => c.startsWith('redis-server')),
        `no redis-server among ${commands.join(', ')}`,
      );
      assert.ok(
        commands.some((c) => c.startsWith('kube-apiserver')),
        `no kube-apiserver among ${commands.join(', ')}`,
      );

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

    it('stops in bounded time and leaves nothing behind when Redis and the cluster died first (Ctrl-C raced them)', async () => {
      demo = await startDemo({ env: newcomerEnv({ SHUTDOWN_TIMEOUT_MS: '2000' }) });
      const services = demo.started.filter((p) => /^(redis-server|etcd|kube-apiserver)/.test(p.command));
      assert.equal(
        services.length,
        3,
        `expected redis-server, etcd and kube-apiserver among ${demo.started.map((p) => p.command).join(', ')}`,
      );
      const dirs = demo.serviceDirs;
      assert.ok(dirs.length >= 3, `service dirs: ${dirs.join(', ')}`);
      // What a terminal's Ctrl-C did when the services shared the demo's process group: they get it first.
      for (const service of services) process.kill(service.pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      await demo.interruptAndCheckStopped(20_000);
      assert.ok(Date.now() - started < 20_000);
      const left = dirs.filter((dir) => existsSync(dir));
      assert.deepEqual(left, [], 'temp dirs left behind');
    });
  },
);
