import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { secretMatches } from '../../src/http/secret-matches.ts';

export const SESSION_COOKIE = 'ai4k8s_console';
const SESSION_SECONDS = 12 * 3600;
/** No dots: the cookie separates its parts with them. */
export const CONSOLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface ConsoleSessions {
  /** Whether a login needs the token (false only on loopback without CONSOLE_TOKEN). */
  tokenRequired: boolean;
  /** Constant-time check of a login token against CONSOLE_TOKEN. */
  tokenMatches(given: string): boolean;
  /** The Set-Cookie value of a new session for `name`. */
  cookieFor(name: string, secure: boolean): string;
  /** The Set-Cookie value that ends the session. */
  clearCookie(): string;
  /** The signed-in name, or undefined (no, expired or forged cookie). */
  nameOf(req: IncomingMessage): string | undefined;
}

/**
 * Stateless sessions: the cookie is `<name>.<expiry>.<HMAC>` keyed by a hash of CONSOLE_TOKEN, so rotating the
 * token logs everyone out and no session store is needed across gateway replicas. Without a token (loopback
 * only) the key is random per process. HttpOnly keeps it from scripts, SameSite=Strict from other sites.
 */
export function consoleSessions({ token }: { token: string | undefined }): ConsoleSessions {
  const key = token === undefined ? randomBytes(32) : createHash('sha256').update(`ai4k8s-console-session:${token}`).digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    tokenRequired: token !== undefined,
    tokenMatches: (given) => token !== undefined && secretMatches(given, token),
    cookieFor(name, secure) {
      const payload = `${name}.${Math.floor(Date.now() / 1000) + SESSION_SECONDS}`;
      return cookie(`${payload}.${sign(payload)}`, SESSION_SECONDS, secure);
    },
    clearCookie: () => cookie('', 0, false),
    nameOf(req) {
      const value = readCookie(req.headers.cookie ?? '', SESSION_COOKIE);
      const [name, expiry, mac] = value?.split('.') ?? [];
      if (name === undefined || expiry === undefined || mac === undefined || !CONSOLE_NAME.test(name)) return undefined;
      const expected = Buffer.from(sign(`${name}.${expiry}`));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return Number(expiry) * 1000 > Date.now() ? name : undefined;
    },
  };
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/console', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
