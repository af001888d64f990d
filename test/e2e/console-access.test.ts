import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { webConsole } from '../../adapters/console/web-console.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';

const logger = createLogger({ level: 'silent' });
/** A CONSOLE_USERS_FILE hash (`ai4k8s console-user alice`, password "correct horse battery staple"). */
const ALICE_HASH = '$scrypt$ln=15,r=8,p=3$PI+jvJMUUpLC38PllwKHmg$N9wMuqXGKZyEG3Ru2IM32QhL9ZemiC78gt/f4O1+bqo';

/** A request with a Host header of our choosing (fetch sets its own), as a DNS-rebinding page makes the browser send. */
function withHost(
  url: string,
  { method = 'GET', path, host, body }: { method?: string; path: string; host: string; body?: unknown },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // An event stream never ends by itself: its first bytes are enough.
        if (res.statusCode === 200 && path.includes('/events')) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('web console access: no anonymous console beyond loopback', () => {
  it('refuses to start a gateway that must offer the console beyond loopback without CONSOLE_TOKEN', () => {
    const env = { HOST: '0.0.0.0', CONSOLE_ENABLED: 'true' };
    assert.throws(
      () => loadConfig({ env, role: 'gateway' }),
      (error: unknown) => error instanceof ConfigError && /CONSOLE_TOKEN: is required for the web console/.test(error.message),
    );
    assert.doesNotThrow(() => loadConfig({ env: { ...env, CONSOLE_TOKEN: 'a-console-token-0123456789abcdef0123' }, role: 'gateway' }));
    assert.doesNotThrow(() => loadConfig({ env: { ...env, HOST: '127.0.0.1' }, role: 'gateway' }));
    assert.throws(() => loadConfig({ env: { CONSOLE_ENABLED: 'yes' }, role: 'gateway' }), /CONSOLE_ENABLED: expected true or false/);
  });

  it('does not mount the console beyond loopback without a token, or when turned off', () => {
    const mount = (env: Record<string, string>) => {
      const config = loadConfig({ env, role: 'gateway' });
      // Deciding needs no connection: nothing is called before the routes are used.
      const unused = {} as never;
      return webConsole({ config, redis: unused, enqueue: unused, approvals: unused, queues: {}, logger });
    };
    assert.equal(mount({ HOST: '0.0.0.0' }), undefined);
    assert.equal(mount({ HOST: '::' }), undefined);
    assert.equal(mount({ HOST: '127.0.0.1', CONSOLE_TOKEN: 'console-token-0123456789abcdef012345', CONSOLE_ENABLED: 'false' }), undefined);
    assert.ok(mount({ HOST: '0.0.0.0', CONSOLE_TOKEN: 'console-token-0123456789abcdef012345' })?.routes['POST /console/login']);
    assert.ok(mount({ HOST: '127.0.0.1' })?.routes['GET /console/api/me']);
    // Console accounts or the single sign-on proxy are a login too.
    assert.ok(mount({ HOST: '0.0.0.0', CONSOLE_TRUSTED_PROXIES: '10.0.0.0/8' })?.routes['GET /console/api/me']);
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-console-users-'));
    writeFileSync(join(dir, 'good'), `# ops\nalice:${ALICE_HASH}\n`);
    assert.ok(mount({ HOST: '0.0.0.0', CONSOLE_USERS_FILE: join(dir, 'good') })?.routes['GET /console/api/me']);
    writeFileSync(join(dir, 'bad'), `alice:${ALICE_HASH}\nbob:plaintext-password\n`);
    assert.throws(
      () => mount({ HOST: '0.0.0.0', CONSOLE_USERS_FILE: join(dir, 'bad') }),
      (error: unknown) =>
        error instanceof ConfigError && /CONSOLE_USERS_FILE \(.*bad\) line 2: expected an scrypt hash/.test(error.message),
    );
    assert.throws(
      () => mount({ HOST: '0.0.0.0', CONSOLE_USERS_FILE: join(dir, 'missing') }),
      /CONSOLE_USERS_FILE \(.*missing\): cannot read it/,
    );
  });

  it('validates the console identity settings, naming the variable', () => {
    const gateway = (env: Record<string, string>) => loadConfig({ env, role: 'gateway' });
    assert.doesNotThrow(() => gateway({ HOST: '0.0.0.0', CONSOLE_ENABLED: 'true', CONSOLE_TRUSTED_PROXIES: '10.0.0.7, fd00::/8' }));
    assert.doesNotThrow(() => gateway({ HOST: '0.0.0.0', CONSOLE_ENABLED: 'true', CONSOLE_USERS_FILE: '/etc/ai4k8s/console-users' }));
    assert.throws(
      () => gateway({ CONSOLE_TRUSTED_PROXIES: '10.0.0.0/33' }),
      /CONSOLE_TRUSTED_PROXIES: expected a comma-separated list of IP addresses or CIDR blocks/,
    );
    assert.throws(() => gateway({ CONSOLE_TRUSTED_PROXIES: 'proxy.example.com' }), /CONSOLE_TRUSTED_PROXIES: expected/);
    assert.throws(() => gateway({ CONSOLE_IDENTITY_HEADER: 'X Forwarded User' }), /CONSOLE_IDENTITY_HEADER: expected an HTTP header name/);
    assert.equal(gateway({ CONSOLE_IDENTITY_HEADER: 'X-Auth-Request-Email' }).CONSOLE_IDENTITY_HEADER, 'x-auth-request-email');
    assert.throws(
      () => gateway({ CONSOLE_SESSION_SECRET: 'too-short' }),
      /CONSOLE_SESSION_SECRET: expected a random console session secret of at least 32 characters/,
    );
  });

  describe('on loopback without CONSOLE_TOKEN', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ env: { ANTHROPIC_API_KEY: '', CONSOLE_ALLOWED_HOSTS: 'console.example.com' } });
    });
    let stopped = false;
    after(async () => {
      if (!stopped) await stack.stop();
    });

    it('lets this machine in as the unverified console:local, who may not approve, and says that no login is configured', async () => {
      const me = await fetch(`${stack.gatewayUrl}/console/api/me`);
      assert.equal(me.status, 200);
      // Everyone on the machine is "local": that is no identity, so no approvals and no policy mapping.
      assert.deepEqual(await me.json(), {
        name: 'local',
        identity: 'console:local (unverified)',
        verified: false,
        via: 'local',
        canApprove: false,
        policyId: null,
        aiConfigured: false,
        loginRequired: false,
      });
      const approve = await fetch(`${stack.gatewayUrl}/console/api/approval`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'a'.repeat(32), decision: 'approved' }),
      });
      assert.equal(approve.status, 403);
      assert.equal(((await approve.json()) as { error?: string }).error, 'verified_identity_required');
      const login = await fetch(`${stack.gatewayUrl}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'dev' }),
      });
      assert.equal(login.status, 200);
      const bad = await fetch(`${stack.gatewayUrl}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a b' }),
      });
      assert.equal(bad.status, 400);
    });

    it('serves only loopback names and CONSOLE_ALLOWED_HOSTS: any other Host gets 403 before the page, login, API or event stream (DNS rebinding)', async () => {
      const url = stack.gatewayUrl;
      const port = new URL(url).port;
      const routes = [
        { path: '/console' },
        { path: '/console/app.js' },
        { path: '/console/console.css' },
        { method: 'POST', path: '/console/login', body: { name: 'mallory' } },
        { method: 'POST', path: '/console/logout', body: {} },
        { path: '/console/api/me' },
        { path: '/console/api/conversations' },
        { path: '/console/api/audit' },
        { path: '/console/api/health' },
        { path: '/console/api/events?conversation=rebinding0conversation' },
        {
          method: 'POST',
          path: '/console/api/ask',
          body: { conversationId: 'rebinding0conversation', requestId: 'rebinding01', text: 'pods -n shop' },
        },
        { method: 'POST', path: '/console/api/approval', body: { token: 'a'.repeat(32), decision: 'approved' } },
      ];
      for (const host of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.nip.io:${port}`,
        `localhost.evil.example:${port}`,
        `user@localhost:${port}`,
      ]) {
        for (const route of routes) {
          const response = await withHost(url, { ...route, host });
          assert.equal(response.status, 403, `${route.method ?? 'GET'} ${route.path} with Host ${host}: ${response.text.slice(0, 200)}`);
          assert.match(response.text, /host_not_allowed/);
        }
      }
      // Nothing was asked: the refused question never reached the conversation.
      const events = await withHost(url, { path: '/console/api/events?conversation=rebinding0conversation', host: `127.0.0.1:${port}` });
      assert.equal(events.status, 200);
      assert.doesNotMatch(events.text, /pods -n shop/);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'console.example.com', 'CONSOLE.example.com.']) {
        assert.equal((await withHost(url, { path: '/console/api/me', host })).status, 200, host);
      }
      // The other routes of the gateway (webhooks behind an ingress, health) are not the console's to refuse.
      assert.equal((await withHost(url, { path: '/healthz', host: 'evil.example' })).status, 200);
    });

    it('streams a conversation as Server-Sent Events from the start, and again after a reconnect with Last-Event-ID', async () => {
      const conversationId = 'sse0test0conversation';
      const ask = await fetch(`${stack.gatewayUrl}/console/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, requestId: 'req0000001', text: 'pods -n shop' }),
      });
      assert.equal(ask.status, 202);
      const read = async (headers: Record<string, string>, until: RegExp) => {
        const controller = new AbortController();
        const response = await fetch(`${stack.gatewayUrl}/console/api/events?conversation=${conversationId}`, {
          headers,
          signal: controller.signal,
        });
        assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
        const reader = response.body?.getReader();
        let text = '';
        const deadline = Date.now() + 20_000;
        while (!until.test(text) && Date.now() < deadline) {
          const chunk = await reader?.read();
          if (chunk === undefined || chunk.done) break;
          text += Buffer.from(chunk.value).toString('utf8');
        }
        controller.abort();
        return text;
      };
      const first = await read({}, /direct mode/);
      assert.match(first, /"role":"user","text":"pods -n shop","by":"local \(unverified\)"/);
      assert.match(first, /checkout-7d4b9c6f5-x2x9z/);
      const ids = [...first.matchAll(/^id: (\S+)$/gm)].map((m) => m[1] ?? '');
      assert.ok(ids.length >= 3, first);
      // Resuming after the first event replays the rest, not the question again.
      const resumed = await read({ 'last-event-id': ids[0] ?? '' }, /direct mode/);
      assert.doesNotMatch(resumed, /"role":"user"/);
      assert.match(resumed, /checkout-7d4b9c6f5-x2x9z/);
    });

    it('stops promptly while a page still holds an event stream open', async () => {
      const open = await fetch(`${stack.gatewayUrl}/console/api/events?conversation=sse0stop0conversation`);
      assert.equal(open.status, 200);
      const started = Date.now();
      await stack.stop();
      assert.ok(Date.now() - started < 5_000, `stop took ${Date.now() - started} ms`);
      stopped = true;
    });
  });
});
