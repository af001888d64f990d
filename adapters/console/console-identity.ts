import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { secretMatches } from '../../src/http/secret-matches.ts';
import type { ConsoleSession, ConsoleSessions } from './console-session.ts';
import { VERIFIED_NAME, type ConsoleUsers } from './console-users.ts';

/** A self-chosen name (shared token, loopback without login). */
export const SHARED_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Who is using the console, and how we know. */
export interface ConsoleUser {
  name: string;
  /** A console account's password or the authenticating proxy vouched for `name`; the shared token and loopback do not. */
  verified: boolean;
  via: 'password' | 'proxy' | 'token' | 'local';
  /**
   * The user id jobs, audit events and approvals carry: the name when verified, else `<name> (unverified)`. A chat
   * user id has no spaces, so no policy entry, approver list or X-Ai4k8s-User can ever name an unverified user: they
   * map to no Kubernetes identity and approve nothing.
   */
  id: string;
}

export interface ConsoleIdentityOptions {
  sessions: ConsoleSessions;
  /** CONSOLE_USERS_FILE's accounts. */
  users: ConsoleUsers | undefined;
  /** CONSOLE_TOKEN, the shared login. */
  token: string | undefined;
  /** The authenticating proxy: the header it names the user in, and whether a TCP peer is that proxy. */
  proxy: { header: string; trusted: (peer: string | undefined) => boolean } | undefined;
}

export type Identified =
  | { kind: 'user'; user: ConsoleUser }
  | { kind: 'anonymous' }
  /** The request named a user it may not name (a proxy header from another peer, or a malformed one): 403. */
  | { kind: 'refused'; code: string; message: string };

const verified = (name: string, via: 'password' | 'proxy'): ConsoleUser => ({ name, verified: true, via, id: name });
const unverified = (name: string, via: 'token' | 'local'): ConsoleUser => ({ name, verified: false, via, id: `${name} (unverified)` });

/**
 * Who a console request comes from. In order: the authenticating proxy's identity header, honoured only from a
 * CONSOLE_TRUSTED_PROXIES peer (from anyone else it is refused, so a client cannot name itself); then the session
 * cookie, valid only while the credential it was made with still stands; then, with no login configured at all
 * (loopback only), everyone is the unverified `local`.
 */
export function consoleIdentity({ sessions, users, token, proxy }: ConsoleIdentityOptions) {
  const open = users === undefined && token === undefined && proxy === undefined;
  const tokenFingerprint =
    token === undefined ? undefined : createHash('sha256').update(`ai4k8s-console-token:${token}`).digest('base64url').slice(0, 16);

  const fromSession = ({ name, kind, fingerprint }: ConsoleSession): ConsoleUser | undefined => {
    switch (kind) {
      case 'password':
        return users !== undefined && users.fingerprint(name) === fingerprint ? verified(name, 'password') : undefined;
      case 'token':
        return tokenFingerprint !== undefined && fingerprint === tokenFingerprint && SHARED_NAME.test(name)
          ? unverified(name, 'token')
          : undefined;
      case 'local':
        return open && SHARED_NAME.test(name) ? unverified(name, 'local') : undefined;
    }
  };

  return {
    /** Whether anyone may use the console without signing in (no login configured; loopback only). */
    open,
    identify(req: IncomingMessage): Identified {
      const named = proxy === undefined ? undefined : req.headers[proxy.header];
      if (proxy !== undefined && named !== undefined) {
        if (!proxy.trusted(req.socket.remoteAddress)) {
          return {
            kind: 'refused',
            code: 'untrusted_identity_header',
            message: `the ${proxy.header} header is only accepted from the console's authenticating proxy (CONSOLE_TRUSTED_PROXIES)`,
          };
        }
        if (typeof named !== 'string' || !VERIFIED_NAME.test(named)) {
          return {
            kind: 'refused',
            code: 'invalid_identity_header',
            message: `expected one user name or e-mail address in ${proxy.header}`,
          };
        }
        return { kind: 'user', user: verified(named, 'proxy') };
      }
      const session = sessions.read(req);
      const user = session === undefined ? undefined : fromSession(session);
      if (user !== undefined) return { kind: 'user', user };
      return open ? { kind: 'user', user: unverified('local', 'local') } : { kind: 'anonymous' };
    },
    /**
     * The session a sign-in makes, or undefined: a console account's name and password (an unknown name costs the
     * same time), else a self-chosen name with the shared token (never an account's name), else, with no login
     * configured, any name.
     */
    async login(name: string, password: string): Promise<ConsoleSession | undefined> {
      if (users !== undefined) {
        if (await users.verify(name, password)) return { name, kind: 'password', fingerprint: users.fingerprint(name) ?? '' };
        if (users.has(name)) return undefined;
      }
      if (token !== undefined && tokenFingerprint !== undefined && SHARED_NAME.test(name) && secretMatches(password, token))
        return { name, kind: 'token', fingerprint: tokenFingerprint };
      if (open && SHARED_NAME.test(name)) return { name, kind: 'local', fingerprint: '' };
      return undefined;
    },
  };
}

export type ConsoleIdentity = ReturnType<typeof consoleIdentity>;
