import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'ai4k8s_console';
const SESSION_SECONDS = 12 * 3600;

/** How a session was signed into: a console account's password, the shared token, or loopback without any login. */
export type SessionKind = 'password' | 'token' | 'local';

export interface ConsoleSession {
  name: string;
  kind: SessionKind;
  /**
   * What the credential looked like when the session began (a hash of the account's stored hash, of the shared token):
   * the session ends when it changes, e.g. the account is removed or the token rotated.
   */
  fingerprint: string;
}

export interface ConsoleSessions {
  /** The Set-Cookie value of a new session. */
  cookieFor(session: ConsoleSession, secure: boolean): string;
  /** The Set-Cookie value that ends the session. */
  clearCookie(): string;
  /** The session a request's cookie carries, or undefined (no, expired, forged or malformed cookie). */
  read(req: IncomingMessage): ConsoleSession | undefined;
}

/**
 * Stateless sessions: the cookie is `<base64url JSON>.<HMAC>` under `key`, so no session store is needed across
 * gateway replicas and Redis holds nothing a writer there could forge a session from. HttpOnly keeps it from scripts,
 * SameSite=Strict from other sites.
 */
export function consoleSessions({ key }: { key: Buffer }): ConsoleSessions {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    cookieFor({ name, kind, fingerprint }, secure) {
      const payload = Buffer.from(
        JSON.stringify({ n: name, k: kind, f: fingerprint, e: Math.floor(Date.now() / 1000) + SESSION_SECONDS }),
      ).toString('base64url');
      return cookie(`${payload}.${sign(payload)}`, SESSION_SECONDS, secure);
    },
    clearCookie: () => cookie('', 0, false),
    read(req) {
      const value = readCookie(req.headers.cookie ?? '', SESSION_COOKIE) ?? '';
      const [payload, mac, ...rest] = value.split('.');
      if (payload === undefined || mac === undefined || rest.length > 0 || payload.length > 1_024) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const data = parsePayload(payload);
      return data !== undefined && data.e * 1000 > Date.now() ? { name: data.n, kind: data.k, fingerprint: data.f } : undefined;
    },
  };
}

function parsePayload(payload: string): { n: string; k: SessionKind; f: string; e: number } | undefined {
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { n, k, f, e } = data;
    if (typeof n !== 'string' || typeof f !== 'string' || typeof e !== 'number' || (k !== 'password' && k !== 'token' && k !== 'local'))
      return undefined;
    return { n, k, f, e };
  } catch {
    return undefined;
  }
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/console',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
