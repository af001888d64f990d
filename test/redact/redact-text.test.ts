import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCredentialName } from '../../src/redact/is-credential-name.ts';
import { redactText } from '../../src/redact/redact-text.ts';
import { redactToolResult } from '../../src/mcp/redact-tool-result.ts';
import { renderResultParts } from '../../src/mcp/render-result-parts.ts';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END RSA PRIVATE KEY-----';

/** [name, input, the secret part that must disappear, what must replace it] */
const CASES: [string, string, string, RegExp][] = [
  ['bearer token', 'Authorization header was Bearer abcdef1234567890xyz', 'abcdef1234567890xyz', /Bearer \[redacted: bearer token\]/],
  ['jwt', `token ${JWT} seen`, JWT.slice(40), /\[redacted: jwt\] seen/],
  ['aws access key', 'using AKIAIOSFODNN7EXAMPLE now', 'AKIAIOSFODNN7EXAMPLE', /\[redacted: aws access key\]/],
  ['aws session key id', 'ASIAY34FZKBOKMUTVV7A', 'ASIAY34FZKBOKMUTVV7A', /\[redacted: aws access key\]/],
  [
    'aws secret key',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'wJalrXUtnFEMI',
    /aws_secret_access_key = \[redacted: aws secret key\]/,
  ],
  ['pem private key', `key:\n${PEM}\nafter`, 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', /\[redacted: private key\]\nafter/],
  [
    'gcp service account json',
    `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}`,
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    /\[redacted: private key\]/,
  ],
  [
    'private key cut short',
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5',
    'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5',
    /\[redacted: private key\]/,
  ],
  [
    'azure connection string',
    'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFyYmF6cXV4Cg+/==;EndpointSuffix=core.windows.net',
    'Zm9vYmFyYmF6cXV4Cg',
    /AccountKey=\[redacted: azure key\];EndpointSuffix/,
  ],
  ['slack bot token', 'SLACK xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp', 'xoxb-123456789012', /\[redacted: slack token\]/],
  ['slack app token', 'xapp-1-A0123BCDE-4567890123-abcdef0123456789', 'xapp-1-A0123BCDE', /\[redacted: slack token\]/],
  ['github token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghij', /\[redacted: github token\]/],
  [
    'github fine-grained token',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    'github_pat_11ABCDEFG',
    /\[redacted: github token\]/,
  ],
  ['anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345-AA', 'sk-ant-api03-abcdef', /\[redacted: anthropic key\]/],
  ['openai key', 'sk-proj-abcdefghijklmnopqrstuvwx1234_ABCD', 'sk-proj-abcdef', /\[redacted: openai key\]/],
  [
    'password in url',
    'DATABASE_URL postgres://ledger:hunter2-pw@payments-db:5432/ledger',
    'hunter2-pw',
    /postgres:\/\/ledger:\[redacted: password\]@payments-db:5432/,
  ],
  ['password=', 'connecting with user=bob password=hunter2 ok', 'hunter2', /password=\[redacted: credential\] ok/],
  [
    '"password": "..."',
    '{"user":"bob","password":"s3cr3t phrase","port":5432}',
    's3cr3t phrase',
    /"password":"\[redacted: credential\]","port":5432/,
  ],
  [
    'env var in text',
    'DB_PASSWORD=canary-pw-1 API_TOKEN: canary-tok-2',
    'canary',
    /DB_PASSWORD=\[redacted: credential\] API_TOKEN: \[redacted: credential\]/,
  ],
  [
    'env as yaml',
    '- name: DB_PASSWORD\n  value: canary-yaml\n- name: HOST\n  value: db',
    'canary-yaml',
    /value: \[redacted: credential\]\n- name: HOST\n {2}value: db/,
  ],
  ['env as json', '[{"name":"STRIPE_SECRET","value":"canary-json"}]', 'canary-json', /"value":"\[redacted: credential\]"/],
  [
    'yaml block scalar',
    'config:\n  password: |\n    line-one-secret\n    line-two-secret\n  user: bob',
    'line-',
    /password: \[redacted: credential\]\n {2}user: bob/,
  ],
  ['cli flag', 'args: --db-password hunter2 --verbose', 'hunter2', /--db-password \[redacted: credential\] --verbose/],
  ['dsn', 'SENTRY_DSN=https://abc123def@o1.ingest.sentry.io/2', 'abc123def', /SENTRY_DSN=\[redacted: credential\]/],
  [
    'kubeconfig',
    'users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n    token: 0123456789abcdef',
    '0123456789abcdef',
    /client-key-data: \[redacted: credential\]\n {4}token: \[redacted: credential\]/,
  ],
  [
    'secret as yaml',
    'apiVersion: v1\nkind: Secret\ndata:\n  password: Q0FOQVJZLVNFQ1JFVA==\n  username: bGVkZ2Vy\nmetadata:\n  name: payments-db',
    'bGVkZ2Vy',
    /username: \[redacted: secret data\]\nmetadata:\n {2}name: payments-db/,
  ],
  [
    'secret as json',
    '{"kind":"Secret","data":{"username":"bGVkZ2Vy","x":"eXl5"},"type":"Opaque"}',
    'bGVkZ2Vy',
    /"data":\{"username":"\[redacted: secret data\]","x":"\[redacted: secret data\]"\},"type":"Opaque"/,
  ],
  [
    'base64 of a credential',
    `auth ${Buffer.from('password=hunter2-in-base64').toString('base64')} end`,
    Buffer.from('password=hunter2-in-base64').toString('base64'),
    /\[redacted: base64-encoded credential\] end/,
  ],
];

describe('redactText', () => {
  for (const [name, input, secret, replaced] of CASES) {
    it(`redacts ${name}`, () => {
      const out = redactText(input);
      assert.ok(!out.includes(secret), `${name} leaked: ${out}`);
      assert.match(out, replaced);
    });
  }

  it('leaves ordinary cluster text alone: pod names, images, digests, UUIDs, IPs, references to secrets', () => {
    const ordinary = [
      'checkout-7d4b9c6f5-x2x9z   0/1   CrashLoopBackOff   7 (2m ago)   10.244.1.7   node-1',
      'image registry.example.com/payments/api:2.7.0-rc1@sha256:' + 'a1b2c3d4'.repeat(8),
      'uid 123e4567-e89b-12d3-a456-426614174000 resourceVersion 18446',
      'sk-worker-7c9d8f6b5-abcdefghijklmnopqrstuv is a pod name',
      'secretName: payments-db\nsecretKeyRef: {name: payments-db, key: password}\nautomountServiceAccountToken: true',
      'MountVolume.SetUp failed for volume "secret-vol" : secret "payments-db" not found',
      'https://kubernetes.default.svc:443/api/v1/namespaces/shop/pods?limit=100',
      'tokenExpirationSeconds: 3600',
      'continue="eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzLCJzdGFydCI6InN2Yy0wMC03YzlkOGY2YjUtMDAwMDFcdTAwMDAifQ"',
      'Successfully pulled image "nginx:1.27" in 2.1s (2.1s including waiting). Image size: 72 bytes.',
    ];
    for (const text of ordinary) assert.equal(redactText(text), text);
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    for (const [, input] of CASES) {
      const once = redactText(input);
      assert.equal(redactText(once), once);
    }
  });
});

describe('isCredentialName', () => {
  it('knows credential names and tells references apart', () => {
    for (const name of [
      'DB_PASSWORD',
      'API_TOKEN',
      'apiKey',
      'AWS_SECRET_ACCESS_KEY',
      'PRIVATE_KEY',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'X_AUTH',
      'SENTRY_DSN',
      'CONNECTION_STRING',
      'client-key-data',
      'dbpassword',
      'ACCESS_KEY',
    ]) {
      assert.equal(isCredentialName(name), true, name);
    }
    for (const name of [
      'secretKeyRef',
      'secretName',
      'TOKEN_PATH',
      'tokenExpirationSeconds',
      'HOST',
      'LOG_LEVEL',
      'AWS_ACCESS_KEY_ID',
      'author',
      'PASSWORD_FILE',
    ]) {
      assert.equal(isCredentialName(name), false, name);
    }
  });
});

describe('redactToolResult', () => {
  it('redacts Secret data and credential env values in structuredContent, and scrubs those values from the text', () => {
    const encoded = Buffer.from('CANARY-unit-7f3a').toString('base64');
    const result = redactToolResult({
      text: `secret holds CANARY-unit-7f3a (${encoded}); env plain-env-canary`,
      structuredContent: {
        objects: [
          { kind: 'Secret', metadata: { name: 's' }, data: { password: encoded }, stringData: { token: 'string-data-canary' } },
          { kind: 'ConfigMap', data: { color: 'blue' } },
        ],
        env: [
          { name: 'DB_PASSWORD', value: 'plain-env-canary' },
          { name: 'HOST', value: 'db' },
        ],
        note: `Bearer ${'z'.repeat(20)}`,
      },
    });
    const all = `${renderResultParts(result.text)}\n${JSON.stringify(result.structuredContent)}`;
    for (const secret of ['CANARY-unit-7f3a', encoded, 'string-data-canary', 'plain-env-canary', 'z'.repeat(20)])
      assert.ok(!all.includes(secret), secret);
    assert.deepEqual((result.structuredContent?.objects as unknown[])[1], { kind: 'ConfigMap', data: { color: 'blue' } });
    assert.match(JSON.stringify(result.structuredContent), /"data":\{"password":"\[redacted: secret data\]"\}/);
    assert.match(JSON.stringify(result.structuredContent), /\{"name":"HOST","value":"db"\}/);
  });
});

describe('object-copy annotations', () => {
  it('redacts last-applied-configuration in YAML, JSON and query strings', () => {
    const yaml =
      'annotations:\n  kubectl.kubernetes.io/last-applied-configuration: |\n    {"data":{"note":"copied-value-1"}}\n  team: shop';
    assert.equal(
      redactText(yaml),
      'annotations:\n  kubectl.kubernetes.io/last-applied-configuration: [redacted: credential]\n  team: shop',
    );
    const json = '{"kubectl.kubernetes.io/last-applied-configuration":"{\\"data\\":{\\"note\\":\\"copied-value-2\\"}}","team":"shop"}';
    assert.ok(!redactText(json).includes('copied-value-2'));
    assert.equal(redactText('GET /hook?token=abc123secret&x=1'), 'GET /hook?token=[redacted: credential]&x=1');
  });
});
