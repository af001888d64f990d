import { redactionMarker } from './redaction-marker.ts';

/**
 * scheme://user:password@host for any scheme (postgres, mongodb+srv, redis, amqp, https, …). The scheme starts
 * a token (one start per run of scheme characters) and user and password are bounded and stop at the
 * characters that end them, so the pattern runs in linear time even on `a.a.a…` or `://a:a:a…`.
 */
const USERINFO = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s:/@"'<>\\]{0,256}):([^\s@/"'<>\\]{1,512})@/g;

/** Replaces the password of a URL's userinfo; the scheme, user and host stay, they help debugging. */
export function redactUrlUserinfo(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(USERINFO, (match, scheme: string, user: string, password: string) =>
    password.startsWith('[redacted') ? match : `${scheme}${user}:${redactionMarker('password')}@`,
  );
}
