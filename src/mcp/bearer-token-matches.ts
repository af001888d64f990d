import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Does an Authorization header carry exactly `Bearer <token>`? Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && presented !== '';
}
