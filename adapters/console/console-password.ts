import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: log2 N, block size r, parallelism p (in the PHC string `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`). */
export interface ScryptCost {
  ln: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt setting with 32 MiB of memory (N=2^15, r=8, p=3). Verification runs on libuv's thread pool (four
 * threads by default), so a burst of logins takes at most 128 MiB and never blocks the event loop.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 15, r: 8, p: 3 };

/** Stored hashes must cost at least 16 MiB and at most 256 MiB per verification: weaker is refused, dearer could exhaust memory. */
const MIN_MEMORY = 16 * 1024 * 1024;
const MAX_MEMORY = 256 * 1024 * 1024;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43})$/;

/** A stored password hash: its cost, salt and derived key. */
export interface ScryptHash extends ScryptCost {
  salt: Buffer;
  key: Buffer;
}

/** A console password's hash as a PHC string (`$scrypt$ln=15,r=8,p=3$<salt>$<key>`, unpadded base64). */
export async function hashConsolePassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  if (password.length < 12) throw new RangeError('a console password needs at least 12 characters');
  const salt = randomBytes(16);
  const key = await derive(password, { ...cost, salt });
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

/** The parts of a PHC scrypt string, or why it is not one this console accepts. */
export function parseScryptHash(text: string): ScryptHash | string {
  const match = PHC.exec(text);
  if (match === null) return 'expected an scrypt hash like $scrypt$ln=15,r=8,p=3$<salt>$<hash> (make one with: ai4k8s console-user <name>)';
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const memory = 128 * r * 2 ** ln;
  if (p < 1 || memory < MIN_MEMORY || memory > MAX_MEMORY)
    return `expected an scrypt cost of 16 to 256 MiB and p of at least 1 (this one: ln=${ln}, r=${r}, p=${p})`;
  return { ln, r, p, salt: Buffer.from(match[4] ?? '', 'base64'), key: Buffer.from(match[5] ?? '', 'base64') };
}

/** Whether `password` is the one `hash` was made from (constant time in the key comparison). */
export async function verifyConsolePassword(password: string, hash: ScryptHash): Promise<boolean> {
  const key = await derive(password, hash);
  return key.length === hash.key.length && timingSafeEqual(key, hash.key);
}

function derive(password: string, { ln, r, p, salt }: ScryptCost & { salt: Buffer }): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 2 * 128 * r * 2 ** ln };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
