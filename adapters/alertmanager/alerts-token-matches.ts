import { secretMatches } from '../../src/http/secret-matches.ts';

/**
 * Does an Authorization header carry the alerts token, as Alertmanager's `http_config` sends it:
 * `Bearer <token>` (authorization.credentials) or `Basic base64(user:<token>)` (basic_auth, any user
 * name)? Compared in constant time (secretMatches).
 */
export function alertsTokenMatches(header: string | undefined, token: string): boolean {
  return secretMatches(presentedSecret(header ?? ''), token);
}

function presentedSecret(header: string): string {
  const bearer = /^Bearer +(\S+)\s*$/i.exec(header);
  if (bearer !== null) return bearer[1] ?? '';
  const basic = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic === null) return '';
  const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? '' : decoded.slice(colon + 1);
}
