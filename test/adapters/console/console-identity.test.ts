import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { before, describe, it } from 'node:test';
import { consoleIdentity } from '../../../adapters/console/console-identity.ts';
import { hashConsolePassword, parseScryptHash, verifyConsolePassword } from '../../../adapters/console/console-password.ts';
import { consoleSessions, type ConsoleSession } from '../../../adapters/console/console-session.ts';
import { parseConsoleUsers, type ConsoleUsers } from '../../../adapters/console/console-users.ts';
import { ConfigError } from '../../../src/config/errors.ts';
import { trustedPeers } from '../../../src/http/trusted-peers.ts';

const PASSWORD = 'correct horse battery staple';
const TOKEN = 'shared-console-token-0123456789abcdef';
const PROXY = '10.1.2.3';

/** A request as the console sees it: headers and the TCP peer. */
const req = (headers: Record<string, string | string[]> = {}, peer = '127.0.0.1') =>
  ({ headers, socket: { remoteAddress: peer } }) as unknown as IncomingMessage;

describe('console passwords (scrypt, PHC strings)', () => {
  it('verifies the right password only, and refuses short passwords, other formats and unbounded costs', async () => {
    const phc = await hashConsolePassword(PASSWORD);
    assert.match(phc, /^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const hash = parseScryptHash(phc);
    assert.ok(typeof hash !== 'string');
    assert.equal(await verifyConsolePassword(PASSWORD, hash), true);
    assert.equal(await verifyConsolePassword(`${PASSWORD} `, hash), false);
    assert.notEqual(await hashConsolePassword(PASSWORD), phc, 'a fresh salt each time');
    await assert.rejects(hashConsolePassword('short'), /at least 12 characters/);
    for (const bad of [
      'plaintext',
      '$2y$10$abcdefghijklmnopqrstuv',
      phc.replace('ln=15', 'ln=22'),
      phc.replace('ln=15', 'ln=10'),
      phc.replace('p=3', 'p=0'),
      `${phc}x`,
    ]) {
      assert.equal(typeof parseScryptHash(bad), 'string', bad);
    }
  });
});

describe('console identity', () => {
  let users: ConsoleUsers;
  const sessions = consoleSessions({ key: randomBytes(32) });
  /** The request carrying a session cookie. */
  const withSession = (session: ConsoleSession, peer?: string) =>
    req({ cookie: `other=1; ${sessions.cookieFor(session, false).split(';')[0] ?? ''}` }, peer);
  before(async () => {
    users = parseConsoleUsers(
      `# accounts\n\nalice@example.com:${await hashConsolePassword(PASSWORD)}\nbob:${await hashConsolePassword('bob password 1234')}\n`,
      'CONSOLE_USERS_FILE (test)',
    );
  });

  it('reads CONSOLE_USERS_FILE strictly, naming the variable and the line', () => {
    const hash = '$scrypt$ln=15,r=8,p=3$PI+jvJMUUpLC38PllwKHmg$N9wMuqXGKZyEG3Ru2IM32QhL9ZemiC78gt/f4O1+bqo';
    const problems = (text: string) => {
      try {
        parseConsoleUsers(text, 'CONSOLE_USERS_FILE (f)');
        return [];
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
    };
    assert.deepEqual(problems(`a:${hash}\n`), []);
    assert.match(problems(`a:${hash}\na:${hash}\n`)[0] ?? '', /^CONSOLE_USERS_FILE \(f\) line 2: a is listed twice/);
    assert.match(problems(`a b:${hash}\n`)[0] ?? '', /line 1: expected name:<hash>/);
    assert.match(problems('alice\n')[0] ?? '', /line 1: expected name:<hash>/);
    assert.match(problems('alice:hunter2hunter2\n')[0] ?? '', /line 1: expected an scrypt hash/);
    assert.match(problems('# nobody\n')[0] ?? '', /lists no user/);
  });

  it('signs in an account by password (an unknown name is as slow and refused), the shared token under any other name, never an account name by token', async () => {
    const identity = consoleIdentity({ sessions, users, token: TOKEN, proxy: undefined });
    assert.deepEqual(await identity.login('alice@example.com', PASSWORD), {
      name: 'alice@example.com',
      kind: 'password',
      fingerprint: users.fingerprint('alice@example.com'),
    });
    assert.equal(await identity.login('alice@example.com', 'wrong password!'), undefined);
    assert.equal(await identity.login('alice@example.com', TOKEN), undefined, 'the shared token signed in as an account');
    assert.equal(await identity.login('bob', PASSWORD), undefined);
    assert.equal(await identity.login('mallory', PASSWORD), undefined);
    assert.equal((await identity.login('carol', TOKEN))?.kind, 'token');
    assert.equal(await identity.login('carol.x', TOKEN), undefined, 'a shared-token name is letters, digits, - and _');
    assert.equal(identity.open, false);
  });

  it('turns sessions into users: accounts verified, shared-token users unverified with an id no policy can name', async () => {
    const identity = consoleIdentity({ sessions, users, token: TOKEN, proxy: undefined });
    const alice = identity.identify(
      withSession({ name: 'alice@example.com', kind: 'password', fingerprint: users.fingerprint('alice@example.com') ?? '' }),
    );
    assert.deepEqual(alice, {
      kind: 'user',
      user: { name: 'alice@example.com', verified: true, via: 'password', id: 'alice@example.com' },
    });
    const tokenSession = identity.identify(withSession((await identity.login('carol', TOKEN)) as ConsoleSession));
    assert.deepEqual(tokenSession, { kind: 'user', user: { name: 'carol', verified: false, via: 'token', id: 'carol (unverified)' } });
    assert.deepEqual(identity.identify(req()), { kind: 'anonymous' });
  });

  it('ends a session when its credential changes: another stored hash, a removed account, a rotated token; and refuses foreign cookies', async () => {
    const identity = consoleIdentity({ sessions, users, token: TOKEN, proxy: undefined });
    const stale = [
      { name: 'alice@example.com', kind: 'password', fingerprint: 'an-older-hash' },
      { name: 'dave', kind: 'password', fingerprint: '' },
      { name: 'carol', kind: 'token', fingerprint: 'the-old-token' },
      // A loopback session is worth nothing once a login is configured.
      { name: 'local', kind: 'local', fingerprint: '' },
    ] as const;
    for (const session of stale) assert.deepEqual(identity.identify(withSession(session)), { kind: 'anonymous' }, JSON.stringify(session));
    const rotated = consoleIdentity({ sessions, users: undefined, token: 'a-new-shared-console-token-0123456789', proxy: undefined });
    const carol = (await identity.login('carol', TOKEN)) as ConsoleSession;
    assert.equal(identity.identify(withSession(carol)).kind, 'user');
    assert.deepEqual(rotated.identify(withSession(carol)), { kind: 'anonymous' });
    // Another key's cookie, and a cookie whose payload was edited.
    const other = consoleSessions({ key: randomBytes(32) });
    const foreign = req({
      cookie:
        other
          .cookieFor({ name: 'alice@example.com', kind: 'password', fingerprint: users.fingerprint('alice@example.com') ?? '' }, false)
          .split(';')[0] ?? '',
    });
    assert.deepEqual(identity.identify(foreign), { kind: 'anonymous' });
  });

  it('takes the proxy header from CONSOLE_TRUSTED_PROXIES only, refusing it from anyone else even with a valid session', async () => {
    const proxy = { header: 'x-forwarded-email', trusted: trustedPeers([PROXY, 'fd00::/8']) };
    const identity = consoleIdentity({ sessions, users, token: undefined, proxy });
    assert.deepEqual(identity.identify(req({ 'x-forwarded-email': 'dave@example.com' }, PROXY)), {
      kind: 'user',
      user: { name: 'dave@example.com', verified: true, via: 'proxy', id: 'dave@example.com' },
    });
    assert.equal(identity.identify(req({ 'x-forwarded-email': 'dave@example.com' }, `::ffff:${PROXY}`)).kind, 'user');
    assert.equal(identity.identify(req({ 'x-forwarded-email': 'dave@example.com' }, 'fd00::17')).kind, 'user');
    const aliceSession = (await identity.login('alice@example.com', PASSWORD)) as ConsoleSession;
    for (const peer of ['127.0.0.1', '10.1.2.4', '::1', 'fe80::1']) {
      const spoofed = {
        ...withSession(aliceSession, peer),
        headers: { ...withSession(aliceSession, peer).headers, 'x-forwarded-email': 'admin@example.com' },
      } as unknown as IncomingMessage;
      assert.equal(identity.identify(spoofed).kind, 'refused', peer);
    }
    for (const value of ['dave example', 'a'.repeat(200), '', ['a@example.com', 'b@example.com']]) {
      assert.equal(identity.identify(req({ 'x-forwarded-email': value }, PROXY)).kind, 'refused', JSON.stringify(value));
    }
    // Without the header the proxy is nobody in particular; a session still works.
    assert.deepEqual(identity.identify(req({}, PROXY)), { kind: 'anonymous' });
    assert.equal(identity.identify(withSession(aliceSession, '127.0.0.1')).kind, 'user');
  });

  it('with no login configured (loopback), everyone is the unverified local user', async () => {
    const identity = consoleIdentity({ sessions, users: undefined, token: undefined, proxy: undefined });
    assert.equal(identity.open, true);
    assert.deepEqual(identity.identify(req()), {
      kind: 'user',
      user: { name: 'local', verified: false, via: 'local', id: 'local (unverified)' },
    });
    const dev = (await identity.login('dev', '')) as ConsoleSession;
    assert.deepEqual(identity.identify(withSession(dev)), {
      kind: 'user',
      user: { name: 'dev', verified: false, via: 'local', id: 'dev (unverified)' },
    });
  });
});
