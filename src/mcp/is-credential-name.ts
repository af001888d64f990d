/** Words that make a name a credential on their own: DB_PASSWORD, apiToken, X-Auth, SENTRY_DSN. */
const CREDENTIAL_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'credential',
  'credentials', 'creds', 'auth', 'authorization', 'dsn', 'cookie', 'privatekey', 'signature', 'sig', 'sas',
]);

/** Two words that together name a credential: API_KEY, accessKey, client-key-data, CONNECTION_STRING. */
const CREDENTIAL_PAIRS = new Set([
  'api_key', 'access_key', 'private_key', 'secret_key', 'client_secret', 'account_key', 'connection_string', 'conn_str',
  'session_key', 'signing_key', 'encryption_key', 'master_key', 'client_key', 'key_data', 'certificate_data',
  'shared_key',
]);

/** Run-together spellings (dbpassword, accesskey) that the word split cannot see. */
const CREDENTIAL_INFIX = /password|passwd|secret|token|apikey|accesskey|privatekey|credential|connectionstring/;

/**
 * Last words that make the name a reference to a credential rather than one: secretKeyRef, secretName,
 * TOKEN_PATH, tokenExpirationSeconds. Their values are names and numbers the model needs.
 */
const REFERENCE_SUFFIXES = new Set([
  'ref', 'refs', 'name', 'names', 'path', 'file', 'dir', 'ttl', 'seconds', 'expiration', 'expiry', 'enabled', 'type',
  'mode', 'url', 'uri', 'host', 'hosts', 'endpoint', 'port', 'header', 'length', 'kind', 'namespace', 'selector',
  'version', 'id', 'ids', 'count', 'required', 'policy',
]);

/** Annotations that copy a whole object, Secret data included (kubectl apply, Rancher, kapp). */
const OBJECT_COPY_ANNOTATION = /(?:^|\/)(?:last-applied-configuration|applied|original)$/;

/** Does this environment variable, field or key name hold a credential's value? */
export function isCredentialName(name: string): boolean {
  if (name.includes('/') && OBJECT_COPY_ANNOTATION.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const last = words.at(-1);
  if (last === undefined || REFERENCE_SUFFIXES.has(last)) return false;
  if (words.some((w) => CREDENTIAL_WORDS.has(w) || CREDENTIAL_INFIX.test(w))) return true;
  return words.some((w, i) => i > 0 && CREDENTIAL_PAIRS.has(`${words[i - 1] ?? ''}_${w}`));
}
