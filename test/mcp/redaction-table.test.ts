import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactText } from '../../src/redact/redact-text.ts';

/**
 * Fake credentials, built by concatenation so no file holds a string that looks like a live key to a secret
 * scanner. Each has the real shape (prefix, alphabet, length) of its family.
 */
const alnum = (n: number, seed = 7): string => {
  const chars = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz';
  let out = '';
  for (let i = 0; i < n; i++) out += chars[(i * seed + 3) % chars.length];
  return out;
};
const hex = (n: number): string => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 7 + 5) % 16]).join('');
const upper = (n: number): string => Array.from({ length: n }, (_, i) => 'ABCDEFGHJKLMNPQRSTUVWXYZ234567'[(i * 11 + 2) % 30]).join('');
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const JWT = [b64url('{"alg":"HS256","typ":"JWT"}'), b64url('{"sub":"1234567890","name":"fake"}'), alnum(43)].join('.');
const PEM_BODY = Array.from({ length: 6 }, (_, i) => alnum(64, 5 + i)).join('\n');
const pem = (label: string): string => `-----BEGIN ${label}-----\n${PEM_BODY}\n-----END ${label}-----`;

/** [format, input, the secret part that must disappear, the words that must stay] */
const CREDENTIALS: [string, string, string, string][] = [
  // Private keys and certificates' keys.
  ['RSA private key', `key:\n${pem('RSA PRIVATE KEY')}\nafter`, PEM_BODY.slice(0, 40), 'after'],
  ['PKCS#8 private key', pem('PRIVATE KEY'), alnum(64, 5), ''],
  ['EC private key', `tls.key: ${pem('EC PRIVATE KEY')}`, alnum(64, 6), 'tls.key'],
  ['OpenSSH private key', `id_ed25519:\n${pem('OPENSSH PRIVATE KEY')}`, alnum(64, 7), 'id_ed25519'],
  ['encrypted private key', pem('ENCRYPTED PRIVATE KEY'), alnum(64, 8), ''],
  ['private key cut short (no END)', `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}`, alnum(64, 9), ''],
  [
    'private key whose BEGIN was cut by a log tail',
    `${PEM_BODY}\n-----END RSA PRIVATE KEY-----\nserver started`,
    alnum(64, 5),
    'server started',
  ],
  ['bare PEM body lines (both ends cut)', `log line\n${PEM_BODY}\nnext line`, alnum(64, 6), 'next line'],
  [
    'GCP service account private_key',
    `{"type":"service_account","private_key_id":"${hex(40)}","private_key":"-----BEGIN PRIVATE KEY-----\\n${alnum(64)}\\n-----END PRIVATE KEY-----\\n","client_email":"x@p.iam.gserviceaccount.com"}`,
    alnum(64),
    'client_email',
  ],
  ['PGP private key block', pem('PGP PRIVATE KEY BLOCK'), alnum(64, 5), ''],
  // Tokens recognisable by their shape.
  ['JWT', `session ${JWT} seen`, JWT.split('.')[2] ?? '', 'seen'],
  ['Bearer token', `Authorization header was Bearer ${alnum(32)}`, alnum(32), 'Authorization header was Bearer'],
  ['basic auth header', `Authorization: Basic ${b64('admin:' + alnum(12))}`, b64('admin:' + alnum(12)), 'Authorization'],
  ['AWS access key id', `using AKIA${upper(16)} now`, `AKIA${upper(16)}`, 'now'],
  ['AWS session key id', `ASIA${upper(16)}`, `ASIA${upper(16)}`, ''],
  ['AWS secret access key', `aws_secret_access_key = ${alnum(40)}`, alnum(40), 'aws_secret_access_key'],
  ['AWS session token', `AWS_SESSION_TOKEN=${alnum(120)}`, alnum(120), 'AWS_SESSION_TOKEN'],
  ['Slack bot token', `SLACK xoxb-${hex(12)}-${hex(13)}-${alnum(24)}`, alnum(24), 'SLACK'],
  ['Slack user token', `xoxp-${hex(12)}-${hex(12)}-${alnum(24)}`, alnum(24), ''],
  ['Slack app token', `xapp-1-A${upper(10)}-${hex(13)}-${hex(64)}`, hex(64), ''],
  ['Slack webhook', `posting to https://hooks.slack.com/services/T${upper(8)}/B${upper(8)}/${alnum(24)} ok`, alnum(24), 'posting to'],
  ['Discord webhook', `DISCORD https://discord.com/api/webhooks/${'1234567890'.repeat(2)}/${alnum(68)}`, alnum(68), 'DISCORD'],
  [
    'Teams incoming webhook',
    `TEAMS https://acme.webhook.office.com/webhookb2/${hex(8)}-${hex(4)}@${hex(8)}/IncomingWebhook/${hex(32)}/${hex(8)}`,
    hex(32),
    'TEAMS',
  ],
  ['GitHub personal token', `ghp_${alnum(36)}`, alnum(36), ''],
  ['GitHub OAuth token', `token gho_${alnum(36)}`, alnum(36), ''],
  ['GitHub app token', `ghs_${alnum(36)}`, alnum(36), ''],
  ['GitHub fine-grained token', `github_pat_11${upper(20)}_${alnum(59)}`, alnum(59), ''],
  ['GitLab token', `glpat-${alnum(20)}`, alnum(20), ''],
  ['Anthropic key', `sk-ant-api03-${alnum(80)}-AA`, alnum(80), ''],
  ['OpenAI project key', `sk-proj-${alnum(48)}`, alnum(48), ''],
  ['OpenAI legacy key', `OPENAI sk-${alnum(48)}`, alnum(48), 'OPENAI'],
  ['Stripe live secret key', `stripe: sk_live_${alnum(24)}`, alnum(24), 'stripe'],
  ['Stripe restricted key', `rk_live_${alnum(24)}`, alnum(24), ''],
  ['Stripe test key', `sk_test_${alnum(24)}`, alnum(24), ''],
  ['Stripe webhook secret', `whsec_${alnum(32)}`, alnum(32), ''],
  ['SendGrid key', `SENDGRID SG.${alnum(22)}.${alnum(43)}`, alnum(43), 'SENDGRID'],
  ['Google API key', `maps AIza${alnum(35)}`, alnum(35), 'maps'],
  ['Google OAuth access token', `ya29.${alnum(60)}`, alnum(60), ''],
  ['npm token', `//registry.npmjs.org/:_authToken=npm_${alnum(36)}`, alnum(36), 'registry.npmjs.org'],
  ['PyPI token', `pypi-AgEIcHlwaS5vcmc${alnum(60)}`, alnum(60), ''],
  ['Vault token', `VAULT hvs.${alnum(90)}`, alnum(90), 'VAULT'],
  ['Twilio API key', `SK${hex(32)}`, hex(32), ''],
  ['Hugging Face token', `hf_${'abcdefghijklmnopqrstuvwxyzABCDEFGH'}`, 'abcdefghijklmnopqrstuvwxyzABCDEFGH', ''],
  [
    'Kubernetes bootstrap token',
    `kubeadm join 10.0.0.1:6443 --discovery-token-ca-cert-hash sha256:${hex(64)} --token a1b2c3.${'d4e5f6a7b8c9d0e1'}`,
    'd4e5f6a7b8c9d0e1',
    'kubeadm join',
  ],
  ['bootstrap token alone', `token id a1b2c3.${'0123456789abcdef'.replace('0', 'z')}`, 'z123456789abcdef', 'token id'],
  // Passwords in URLs, any scheme.
  ['postgres URL', `DATABASE_URL postgres://ledger:${alnum(12)}@payments-db:5432/ledger`, alnum(12), 'postgres://ledger:'],
  ['mongodb+srv URL', `mongodb+srv://app:${alnum(16)}@cluster0.example.net/db`, alnum(16), 'cluster0.example.net'],
  ['redis URL with empty user', `redis://:${alnum(20)}@redis:6379/0`, alnum(20), 'redis:6379'],
  ['amqp URL', `amqp://guest:${alnum(10)}@rabbit:5672/`, alnum(10), 'rabbit:5672'],
  ['https URL with userinfo', `git clone https://bot:${alnum(30)}@git.example.com/repo.git`, alnum(30), 'git clone'],
  // Credential-named keys, in every spelling.
  ['password=', `connecting with user=bob password=${alnum(10)} ok`, alnum(10), 'ok'],
  ['password = (spaces)', `password = ${alnum(10)}`, alnum(10), 'password'],
  ['password : (spaces)', `password : ${alnum(10)}`, alnum(10), 'password'],
  ['"password": "…"', `{"user":"bob","password":"${alnum(8)} phrase","port":5432}`, alnum(8), '"port":5432'],
  ['pretty JSON "password" : "…"', `{\n  "password" : "${alnum(14)}"\n}`, alnum(14), '"password"'],
  ['JSON escaped inside JSON', `{"log":"{\\"db_password\\":\\"${alnum(12)}\\",\\"user\\":\\"app\\"}"}`, alnum(12), 'db_password'],
  ['single-quoted value', `password: '${alnum(12)}'`, alnum(12), 'password'],
  ['.env line', `DB_PASSWORD=${alnum(14)}\nLOG_LEVEL=info`, alnum(14), 'LOG_LEVEL=info'],
  ['export in a shell script', `export API_TOKEN=${alnum(20)}`, alnum(20), 'export API_TOKEN'],
  ['PGPASSWORD', `PGPASSWORD=${alnum(12)} psql -h db -U app`, alnum(12), 'psql -h db'],
  ['env as YAML', `- name: DB_PASSWORD\n  value: ${alnum(12)}\n- name: HOST\n  value: db`, alnum(12), 'value: db'],
  ['env as JSON', `[{"name":"STRIPE_SECRET","value":"${alnum(12)}"}]`, alnum(12), 'STRIPE_SECRET'],
  ['YAML block scalar', `config:\n  password: |\n    ${alnum(12)}\n    ${alnum(12, 5)}\n  user: bob`, alnum(12), 'user: bob'],
  ['flag with =', `--db-password=${alnum(12)} --verbose`, alnum(12), '--verbose'],
  ['flag and value as two words', `args: --db-password ${alnum(12)} --verbose`, alnum(12), '--verbose'],
  ['container args as a YAML list', `args:\n- --db-password\n- ${alnum(12)}\n- --port=5432`, alnum(12), '--port=5432'],
  ['container args as a JSON array', `"args":["--token","${alnum(20)}","--port","5432"]`, alnum(20), '"--port"'],
  ['mysql -p glued', `mysql -h db -uroot -p${alnum(10)} shop`, alnum(10), 'mysql -h db'],
  ['mysqldump -p quoted', `mysqldump -uroot -p'${alnum(10)}' shop`, alnum(10), 'mysqldump'],
  ['redis-cli -a', `redis-cli -h cache -a ${alnum(16)} ping`, alnum(16), 'redis-cli -h cache'],
  ['DSN', `SENTRY_DSN=https://${hex(32)}@o1.ingest.sentry.io/2`, hex(32), 'SENTRY_DSN'],
  ['Datadog API key by name', `DD_API_KEY: ${hex(32)}`, hex(32), 'DD_API_KEY'],
  ['Datadog app key by name', `DD_APP_KEY=${hex(40)}`, hex(40), 'DD_APP_KEY'],
  ['Twilio auth token by name', `TWILIO_AUTH_TOKEN=${hex(32)}`, hex(32), 'TWILIO_AUTH_TOKEN'],
  ['Authorization header with a raw token', `Authorization: token ${alnum(40)}`, alnum(40), 'Authorization'],
  ['Cookie header', `Cookie: session=${alnum(30)}; theme=dark`, alnum(30), 'Cookie'],
  ['X-API-Key header', `X-API-Key: ${alnum(32)}`, alnum(32), 'X-API-Key'],
  ['token in a query string', `GET /hook?token=${alnum(16)}&x=1`, alnum(16), '&x=1'],
  [
    'Azure storage connection string',
    `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${alnum(40)}+/==;EndpointSuffix=core.windows.net`,
    alnum(40),
    'EndpointSuffix=core.windows.net',
  ],
  ['Azure SAS signature', `https://shop.blob.core.windows.net/c?sv=2022-11-02&sig=${alnum(40)}%3D&se=2030`, alnum(40), 'se=2030'],
  [
    'kubeconfig client-key-data and token',
    `users:\n- name: admin\n  user:\n    client-key-data: ${b64('-----BEGIN RSA PRIVATE KEY-----\n' + alnum(40))}\n    token: ${alnum(32)}`,
    alnum(32),
    'name: admin',
  ],
  [
    'docker config auths',
    `{"auths":{"registry.example.com":{"auth":"${b64('robot:' + alnum(20))}"}}}`,
    b64('robot:' + alnum(20)),
    'registry.example.com',
  ],
  ['base64 of a credential', `auth ${b64('password=' + alnum(16))} end`, b64('password=' + alnum(16)), 'end'],
  [
    'Secret as YAML',
    `kind: Secret\ndata:\n  password: ${b64(alnum(12))}\n  username: ${b64('ledger')}\nmetadata:\n  name: db`,
    b64(alnum(12)),
    'name: db',
  ],
  [
    'Secret as JSON',
    `{"kind":"Secret","data":{"username":"${b64('ledger-user')}","password":"${b64(alnum(12))}"},"type":"Opaque"}`,
    b64(alnum(12)),
    '"type":"Opaque"',
  ],
  [
    'last-applied annotation',
    `annotations:\n  kubectl.kubernetes.io/last-applied-configuration: |\n    {"data":{"note":"${alnum(12)}"}}\n  team: shop`,
    alnum(12),
    'team: shop',
  ],
];

/** Text an answer needs, that looks like a credential to a careless redactor: it must come through unchanged. */
const LOOK_ALIKES: [string, string][] = [
  [
    'containerd anonymous token 401',
    'failed to pull image "ghcr.io/acme/api:v1": failed to resolve reference: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fapi%3Apull&service=ghcr.io: 401 Unauthorized',
  ],
  ['oauth token 403', 'failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden'],
  ['token expired', 'oidc: token expired, refreshing'],
  ['invalid token', 'error: invalid token for user app'],
  ['Unauthorized', 'error: You must be logged in to the server (Unauthorized)'],
  ['password authentication failed', 'FATAL: password authentication failed for user "app"'],
  ['Secret not found', 'Error: secret "db-creds" not found'],
  ['missing key in a Secret', "couldn't find key password in Secret shop/db"],
  ['secret volume mount failure', 'MountVolume.SetUp failed for volume "secret-vol" : secret "payments-db" not found'],
  ['secretKeyRef', 'secretKeyRef: {name: payments-db, key: password}'],
  ['secretName', 'secretName: payments-db-tls'],
  ['tokenizer', 'tokenizer: bert-base-uncased loaded'],
  ['passwordless', 'passwordless login enabled for user admin'],
  ['commit SHA', `deployed commit ${hex(40)} to production`],
  ['image digest', `image registry.example.com/payments/api:2.7.0@sha256:${hex(64)}`],
  ['UUID', 'uid 123e4567-e89b-12d3-a456-426614174000 resourceVersion 18446744'],
  ['pod name with hashes', 'checkout-7d4b9c6f5-x2x9z   0/1   CrashLoopBackOff   7 (2m ago)   10.244.1.7   node-1'],
  ['resourceVersion', 'resourceVersion: "184467"'],
  ['sk- pod name', 'sk-worker-7c9d8f6b5-abcdefghijklmnopqrstuv is a pod name'],
  ['Bearer prose', 'Bearer token required: the request had no Authorization header'],
  ['Basic prose', 'Basic authentication failed for user app'],
  ['token TTL setting', 'tokenExpirationSeconds: 3600'],
  ['automount flag', 'automountServiceAccountToken: false'],
  ['token path', 'TOKEN_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token'],
  ['x509 error', 'x509: certificate signed by unknown authority'],
  ['URL without a password', 'connecting to postgres://app@db:5432/shop'],
  ['continue token', 'continue="eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzLCJzdGFydCI6InN2Yy0wMC03YzlkOGY2YjUtMDAwMDFcdTAwMDAifQ"'],
  ['API URL', 'https://kubernetes.default.svc:443/api/v1/namespaces/shop/pods?limit=100'],
  ['image pull message', 'Successfully pulled image "nginx:1.27" in 2.1s (2.1s including waiting). Image size: 72 bytes.'],
  ['ssh port flag', 'ssh -p22 deploy@bastion'],
];

describe('redaction table', () => {
  it(`has at least 60 credential formats and 20 look-alikes (${CREDENTIALS.length} and ${LOOK_ALIKES.length})`, () => {
    assert.ok(CREDENTIALS.length >= 60);
    assert.ok(LOOK_ALIKES.length >= 20);
  });

  for (const [format, input, secret, keep] of CREDENTIALS) {
    it(`redacts ${format}`, () => {
      assert.ok(secret.length >= 8 && input.includes(secret), 'the case is built right');
      const out = redactText(input);
      assert.ok(!out.includes(secret), `secret left in: ${out}`);
      assert.match(out, /\[redacted: [a-z0-9 -]+\]/);
      assert.ok(out.includes(keep), `"${keep}" lost: ${out}`);
      assert.equal(redactText(out), out, 'idempotent');
    });
  }

  for (const [what, text] of LOOK_ALIKES) {
    it(`keeps ${what} readable`, () => {
      assert.equal(redactText(text), text);
    });
  }
});
