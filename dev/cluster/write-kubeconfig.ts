import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export type TestUser = 'admin' | 'viewer' | 'nobody';

/**
 * Writes a self-contained kubeconfig (CA embedded, so a copy still works) with one context per
 * static-token user; the current context is `admin`.
 */
export function writeKubeconfig({
  path,
  server,
  caCert,
  tokens,
}: {
  path: string;
  server: string;
  caCert: string;
  tokens: Record<TestUser, string>;
}): void {
  const users = Object.keys(tokens) as TestUser[];
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'ai4k8s-test', cluster: { server, 'certificate-authority-data': readFileSync(caCert).toString('base64') } }],
    users: users.map((name) => ({ name, user: { token: tokens[name] } })),
    contexts: users.map((name) => ({ name, context: { cluster: 'ai4k8s-test', user: name, namespace: 'default' } })),
    'current-context': 'admin',
  };
  writeFileSync(path, stringify(kubeconfig), { mode: 0o600 });
}
