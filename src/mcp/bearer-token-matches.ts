import { secretMatches } from '../http/secret-matches.ts';

/** Does an Authorization header carry exactly `Bearer <token>`? Compared in constant time (secretMatches). */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  return secretMatches(match?.[1] ?? '', token);
}
