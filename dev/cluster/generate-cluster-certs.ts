import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterCerts {
  caCert: string;
  caKey: string;
  /** Serving certificate of the API server (127.0.0.1, localhost and the in-cluster names). */
  apiServerCert: string;
  apiServerKey: string;
  /** Client certificate the API server presents to kubelets (here: the fake kubelet). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** Serving certificate of the fake kubelet, so the API server can verify it against the CA. */
  kubeletServingCert: string;
  kubeletServingKey: string;
  /** Key pair that signs and verifies service-account tokens. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

// P-256 keys: generating RSA keys would dominate a warm start.
const keyAlgorithm = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Writes a throwaway PKI for one test cluster into `dir` with the openssl CLI. */
export async function generateClusterCerts(dir: string): Promise<ClusterCerts> {
  const path = (name: string): string => join(dir, name);
  const certs: ClusterCerts = {
    caCert: path('ca.crt'),
    caKey: path('ca.key'),
    apiServerCert: path('apiserver.crt'),
    apiServerKey: path('apiserver.key'),
    kubeletClientCert: path('apiserver-kubelet-client.crt'),
    kubeletClientKey: path('apiserver-kubelet-client.key'),
    kubeletServingCert: path('kubelet.crt'),
    kubeletServingKey: path('kubelet.key'),
    serviceAccountKey: path('sa.key'),
    serviceAccountPub: path('sa.pub'),
  };
  await Promise.all([
    openssl([
      'req',
      '-x509',
      ...keyAlgorithm,
      '-days',
      '30',
      '-subj',
      '/CN=ai4k8s-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      certs.caKey,
      '-out',
      certs.caCert,
    ]),
    (async () => {
      await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', certs.serviceAccountKey]);
      await openssl(['pkey', '-in', certs.serviceAccountKey, '-pubout', '-out', certs.serviceAccountPub]);
    })(),
  ]);
  const leaf = (subject: string, usage: 'serverAuth' | 'clientAuth', sans: string | undefined, cert: string, key: string) =>
    openssl([
      'req',
      '-x509',
      ...keyAlgorithm,
      '-days',
      '30',
      '-subj',
      subject,
      '-CA',
      certs.caCert,
      '-CAkey',
      certs.caKey,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext',
      `extendedKeyUsage=${usage}`,
      ...(sans === undefined ? [] : ['-addext', `subjectAltName=${sans}`]),
      '-keyout',
      key,
      '-out',
      cert,
    ]);
  await Promise.all([
    leaf(
      '/CN=kube-apiserver',
      'serverAuth',
      'IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
      certs.apiServerCert,
      certs.apiServerKey,
    ),
    leaf('/O=system:masters/CN=kube-apiserver-kubelet-client', 'clientAuth', undefined, certs.kubeletClientCert, certs.kubeletClientKey),
    // All seeded nodes report 127.0.0.1, and the API server checks the kubelet's cert against it.
    leaf('/CN=fake-kubelet', 'serverAuth', 'IP:127.0.0.1,DNS:localhost', certs.kubeletServingCert, certs.kubeletServingKey),
  ]);
  return certs;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`openssl ${args[0] ?? ''} failed (is the openssl CLI installed?): ${detail}`, { cause: error });
  }
}
