import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../src/config/errors.ts';
import { parseScryptHash, verifyConsolePassword, type ScryptHash } from './console-password.ts';

/** A verified console user's name: what the policy names as `console:console:<name>` (an e-mail address fits). */
export const VERIFIED_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** The accounts of CONSOLE_USERS_FILE. */
export interface ConsoleUsers {
  has(name: string): boolean;
  /** Whether `password` is `name`'s; an unknown name costs the same time and is false. */
  verify(name: string, password: string): Promise<boolean>;
  /** A short fingerprint of `name`'s stored hash: a session made with it ends when the hash changes or the user goes. */
  fingerprint(name: string): string | undefined;
}

/** A fixed hash verified for unknown names, so a login takes as long whether the name exists or not. */
const DECOY = decoyHash('$scrypt$ln=15,r=8,p=3$ELuA61cZPS5N7TB7u+3ZoQ$Hx1nBfbSNneKgZNUh5mKdikzVN7DySWHwZjszY2b/zY');

/**
 * Reads CONSOLE_USERS_FILE once at start: one `name:<scrypt PHC hash>` per line (`ai4k8s console-user <name>`
 * prints one), `#` comments and blank lines ignored. Any bad line fails the start, naming the variable and the line.
 */
export function loadConsoleUsers(path: string): ConsoleUsers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`CONSOLE_USERS_FILE (${path}): cannot read it (${(error as Error).message})`]);
  }
  return parseConsoleUsers(text, `CONSOLE_USERS_FILE (${path})`);
}

export function parseConsoleUsers(text: string, label: string): ConsoleUsers {
  const hashes = new Map<string, { hash: ScryptHash; fingerprint: string }>();
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = `${label} line ${index + 1}`;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    if (colon === -1 || !VERIFIED_NAME.test(name))
      return problems.push(`${at}: expected name:<hash> with a name of letters, digits and . _ @ + - (at most 128)`);
    if (hashes.has(name)) return problems.push(`${at}: ${name} is listed twice`);
    const hash = parseScryptHash(line.slice(colon + 1));
    if (typeof hash === 'string') return problems.push(`${at}: ${hash}`);
    hashes.set(name, { hash, fingerprint: createHash('sha256').update(line).digest('base64url').slice(0, 16) });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  if (hashes.size === 0) throw new ConfigError([`${label}: lists no user (expected name:<hash> lines)`]);
  return {
    has: (name) => hashes.has(name),
    async verify(name, password) {
      const entry = hashes.get(name);
      const matches = await verifyConsolePassword(password, entry?.hash ?? DECOY);
      return entry !== undefined && matches;
    },
    fingerprint: (name) => hashes.get(name)?.fingerprint,
  };
}

function decoyHash(phc: string): ScryptHash {
  const parsed = parseScryptHash(phc);
  if (typeof parsed === 'string') throw new TypeError(`the decoy hash is not valid: ${parsed}`);
  return parsed;
}
