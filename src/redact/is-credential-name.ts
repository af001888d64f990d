/** Words that make a name a credential on their own: DB_PASSWORD, apiToken, X-Auth, SENTRY_DSN. */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'dsn',
  'cookie',
  'privatekey',
  'signature',
  'sig',
  'sas',
  'pgpassword',
]);

/** Two words that together name a credential: API_KEY, accessKey, client-key-data, CONNECTION_STRING, DD_APP_KEY. */
const CREDENTIAL_PAIRS = new Set([
  'api_key',
  'access_key',
  'private_key',
  'secret_key',
  'client_secret',
  'account_key',
  'connection_string',
  'conn_str',
  'session_key',
  'signing_key',
  'encryption_key',
  'master_key',
  'client_key',
  'key_data',
  'certificate_data',
  'shared_key',
  'app_key',
  'application_key',
  'license_key',
]);

/** Run-together spellings (dbpassword, accesskey, authtoken) that the word split cannot see: the word must end so. */
const CREDENTIAL_SUFFIX = /(?:password|passwd|secret|token|apikey|accesskey|privatekey|credential|connectionstring)s?\d*$/;

/**
 * Last words that make the name a reference to a credential rather than one: secretKeyRef, secretName,
 * TOKEN_PATH, tokenExpirationSeconds. Their values are names and numbers the model needs.
 */
const REFERENCE_SUFFIXES = new Set([
  'ref',
  'refs',
  'name',
  'names',
  'path',
  'file',
  'dir',
  'ttl',
  'seconds',
  'expiration',
  'expiry',
  'enabled',
  'type',
  'mode',
  'url',
  'uri',
  'host',
  'hosts',
  'endpoint',
  'port',
  'header',
  'length',
  'kind',
  'namespace',
  'selector',
  'version',
  'id',
  'ids',
  'count',
  'required',
  'policy',
  'audience',
  'issuer',
  'format',
  'algorithm',
  'expires',
  'reference',
]);

/** Annotations that copy a whole object, Secret data included (kubectl apply, Rancher, kapp). */
const OBJECT_COPY_ANNOTATION = /(?:^|\/)(?:last-applied-configuration|applied|original)$/;

/** Longer than any real key: a "name" this long is data, and splitting it is wasted work. */
const MAX_NAME = 256;

/** Names seen recently: text repeats its keys (YAML, logs), and redaction asks about each occurrence. */
const seen = new Map<string, boolean>();
const SEEN_LIMIT = 1024;

/** Does this environment variable, field, flag or key name hold a credential's value? */
export function isCredentialName(name: string): boolean {
  if (name.length > MAX_NAME) return false;
  const known = seen.get(name);
  if (known !== undefined) return known;
  const answer = judge(name);
  if (seen.size >= SEEN_LIMIT) seen.clear();
  seen.set(name, answer);
  return answer;
}

function judge(name: string): boolean {
  if (name.includes('/') && OBJECT_COPY_ANNOTATION.test(name)) return true;
  const words = splitWords(name);
  const last = words.at(-1);
  if (last === undefined || REFERENCE_SUFFIXES.has(last)) return false;
  if (words.some((w) => CREDENTIAL_WORDS.has(w) || CREDENTIAL_SUFFIX.test(w))) return true;
  return words.some((w, i) => i > 0 && CREDENTIAL_PAIRS.has(`${words[i - 1] ?? ''}_${w}`));
}

/** Lower-case words of a name: split at anything not a letter or digit, and where camelCase turns upper. */
function splitWords(name: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0;
    const upper = c >= 0x41 && c <= 0x5a;
    const lowerOrDigit = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    const prev = i > 0 ? name.charCodeAt(i - 1) : 0;
    const camel = upper && ((prev >= 0x61 && prev <= 0x7a) || (prev >= 0x30 && prev <= 0x39));
    if (start !== -1 && (!(upper || lowerOrDigit) || camel)) {
      words.push(name.slice(start, i).toLowerCase());
      start = -1;
    }
    if (start === -1 && (upper || lowerOrDigit)) start = i;
  }
  return words;
}
