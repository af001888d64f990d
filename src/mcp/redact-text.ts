import { redactKeyValues } from './redact-key-values.ts';
import { redactSecretBlocks } from './redact-secret-blocks.ts';
import { redactionMarker } from './redaction-marker.ts';

type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Credential shapes recognisable by their value alone, wherever they appear. Most specific first. */
const VALUE_PATTERNS: [RegExp, Replacement][] = [
  // PEM private keys (RSA, EC, OpenSSH, a GCP service account's JSON with \n escapes), also cut short.
  [/-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g, redactionMarker('private key')],
  [/\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/g, redactionMarker('jwt')],
  // The marker's words are shorter than 8 characters, so a second pass does not match it again.
  [/\b(Bearer|Basic)([ \t]+)[\w.~+/-]{8,}=*/gi, (_m, scheme = '', space = '') => `${scheme}${space}${redactionMarker(/^bearer$/i.test(scheme) ? 'bearer token' : 'basic auth')}`],
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b/g, redactionMarker('aws access key')],
  [/\b(aws_secret_access_key|aws_session_token)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, (_m, key = '', sep = '') => `${key}${sep}${redactionMarker('aws secret key')}`],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, redactionMarker('slack token')],
  [/\bxapp-\d-[A-Za-z0-9-]{10,}/g, redactionMarker('slack token')],
  [/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g, redactionMarker('slack webhook')],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, redactionMarker('github token')],
  [/\bgithub_pat_\w{20,}/g, redactionMarker('github token')],
  [/\bglpat-[\w-]{20,}/g, redactionMarker('gitlab token')],
  [/\bsk-ant-[\w-]{20,}/g, redactionMarker('anthropic key')],
  [/\bsk-(?:proj|svcacct|admin)-[\w-]{20,}/g, redactionMarker('openai key')],
  // Legacy OpenAI-style keys have no dashes after sk-, which keeps pod names like sk-worker-... out.
  [/\bsk-[A-Za-z0-9]{32,}\b/g, redactionMarker('api key')],
  [/\bAIza[\w-]{35}\b/g, redactionMarker('google api key')],
  // Azure storage and service bus connection strings.
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature)=(?!\[redacted)[^;\s"']+/g, (_m, key = '') => `${key}=${redactionMarker('azure key')}`],
  // scheme://user:password@host: keep the user and host, they help debugging.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'<>]*):([^\s@/"'<>]+)@/gi, (_m, scheme = '', user = '') => `${scheme}${user}:${redactionMarker('password')}@`],
];

/** Base64 long enough to hide a credential: decoded, it is redacted when what it decodes to is. */
const BASE64_RUN = /(?<![\w+/=-])[A-Za-z0-9+/]{24,}={0,2}(?![\w+/=-])/g;

/**
 * Redacts credentials from text a tool is about to return: known token and key shapes, passwords in
 * URLs, credential-named keys and environment variables, Secret data in YAML/JSON, and base64 that
 * decodes to any of these (a kubeconfig's client-key-data, a docker config's auth).
 */
export function redactText(text: string): string {
  const redacted = redactPlain(text);
  return redacted.replace(BASE64_RUN, (run) => {
    const decoded = decodePrintable(run);
    return decoded !== undefined && redactPlain(decoded) !== decoded ? redactionMarker('base64-encoded credential') : run;
  });
}

function redactPlain(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VALUE_PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return redactKeyValues(redactSecretBlocks(out));
}

/** The decoded text when the run is base64 of printable text; undefined for binary (sha256 digests, random IDs). */
function decodePrintable(run: string): string | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length < 12) return undefined;
  let printable = 0;
  for (const byte of bytes) if (byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f)) printable++;
  return printable / bytes.length >= 0.95 ? bytes.toString('utf8') : undefined;
}
