import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../cluster/fixture-names.ts';
import { clusterBinariesCached } from '../../scripts/demo-prerequisites.ts';
import { consoleAsk, consoleLogin, launchChromium, saveScreenshot } from '../support/chromium.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 120_000;

/** Every live process below `root` (by parent pid), read from /proc; zombies count as gone. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined && stat.state !== 'Z') parents.set(Number(name), stat.ppid);
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function readStat(pid: number): { state: string; ppid: number; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
    return { state, ppid: Number(ppid), command: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
};

describe('npm run demo: one command from a clean checkout to a working console', { skip: clusterBinariesCached() ? false : 'the test cluster binaries are not built (npm run test-cluster builds them)' }, () => {
  let demo: ChildProcess | undefined;
  after(() => {
    // Only if the test failed before stopping it: the whole process group, as Ctrl-C in a terminal would.
    if (demo?.pid === undefined || demo.exitCode !== null || demo.signalCode !== null) return;
    try {
      process.kill(-demo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('starts Redis, the seeded cluster and the product, answers `pods -n shop` in direct mode in Chromium, and stops everything on Ctrl-C', async () => {
    const env: Record<string, string> = {};
    // A newcomer's shell: none of the product's settings, no model key.
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !/^(AI4K8S_TEST_|ANTHROPIC_|REDIS_URL$|KUBECONFIG$|CONSOLE_|PORT$|MCP_|SLACK_|TEAMS_)/.test(key)) env[key] = value;
    }
    demo = spawn('npm', ['run', 'demo'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<string>((resolve) => demo?.once('exit', (code, signal) => resolve(signal ?? String(code))));

    const deadline = Date.now() + START_TIMEOUT_MS;
    let url: string | undefined;
    let token: string | undefined;
    while (url === undefined || token === undefined) {
      assert.ok(Date.now() < deadline, `the demo printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`);
      assert.equal(demo.exitCode, null, `the demo exited early:\n${output}`);
      url = /Web console:\s+(http:\/\/\S+)/.exec(output)?.[1];
      token = /Login token:\s+(\S+)/.exec(output)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.match(output, /AI:\s+off: set ANTHROPIC_API_KEY/);
    const pid = demo.pid ?? 0;
    const started = descendants(pid);
    const commands = started.map((p) => readStat(p)?.command ?? '');
    assert.ok(commands.some((c) => c.startsWith('redis-server')), `no redis-server among ${commands.join(', ')}`);
    assert.ok(commands.some((c) => c.startsWith('kube-apiserver')), `no kube-apiserver among ${commands.join(', ')}`);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await consoleLogin(page, { url: url.replace(/\/console$/, ''), name: 'newcomer', token });
      assert.match(await page.locator('#ai-banner').innerText(), /AI is not configured[\s\S]*ANTHROPIC_API_KEY/);
      const answer = await consoleAsk(page, `pods -n ${SHOP_NAMESPACE}`, new RegExp(CHECKOUT_POD), 60_000);
      assert.match(answer, /CrashLoopBackOff/);
      assert.match(answer, /direct mode/);
      await saveScreenshot(page, 'demo', 'direct-mode-answer');
    } finally {
      await browser.close();
    }

    process.kill(-pid, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    // npm re-raises the interrupt on itself once the script has exited, so a clean stop reads SIGINT (or 0).
    assert.ok(code === '0' || code === 'SIGINT', `the demo did not stop cleanly on Ctrl-C (${code}):\n${output}`);
    assert.match(output, /demo: stopped/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = started.filter(alive).map((p) => `${p} ${readStat(p)?.command ?? ''}`);
    assert.deepEqual(left, [], 'processes the demo started are still running');
    await assert.rejects(fetch(url), 'the console still answers after the demo stopped');
  });
});
