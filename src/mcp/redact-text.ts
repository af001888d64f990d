import { redactCliPasswords } from './redact-cli-passwords.ts';
import { redactCredentialShapes } from './redact-credential-shapes.ts';
import { redactKeyValues } from './redact-key-values.ts';
import { redactPrivateKeys } from './redact-private-keys.ts';
import { redactSecretBlocks } from './redact-secret-blocks.ts';
import { redactUrlUserinfo } from './redact-url-userinfo.ts';
import { redactionMarker } from './redaction-marker.ts';

/** Base64 long enough to hide a credential; a lookbehind gives one start per run, so linear time. */
const BASE64_RUN = /(?<![\w+/=-])[A-Za-z0-9+/]{24,}={0,2}(?![\w+/=-])/g;

/**
 * Redacts credentials from text: private keys, known token and key shapes, passwords in URLs, Secret data
 * in YAML/JSON, credential-named keys, flags and environment variables, password arguments of database
 * CLIs, and base64 that decodes to any of these (a kubeconfig's client-key-data, a docker config's auth).
 * Every stage is a literal-anchored pattern or a small scanner: linear time in the text's length.
 */
export function redactText(text: string): string {
  const redacted = redactPlain(text);
  if (redacted.length < 24) return redacted;
  return redacted.replace(BASE64_RUN, (run) => {
    const decoded = decodePrintable(run);
    return decoded !== undefined && redactPlain(decoded) !== decoded ? redactionMarker('base64-encoded credential') : run;
  });
}

function redactPlain(text: string): string {
  let out = redactPrivateKeys(text);
  out = redactCredentialShapes(out);
  out = redactUrlUserinfo(out);
  out = redactSecretBlocks(out);
  out = redactKeyValues(out);
  return redactCliPasswords(out);
}

/** The decoded text when the run is base64 of printable text; undefined for binary (sha256 digests, random IDs). */
function decodePrintable(run: string): string | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length < 12) return undefined;
  let printable = 0;
  for (const byte of bytes) if (byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f)) printable++;
  return printable / bytes.length >= 0.95 ? bytes.toString('utf8') : undefined;
}
