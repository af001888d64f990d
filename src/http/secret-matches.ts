import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Is a presented secret (token, password) the expected one? Both sides are hashed first so the comparison
 * takes the same time whatever the length or content of the guess; an empty guess never matches.
 */
export function secretMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented !== '';
}
