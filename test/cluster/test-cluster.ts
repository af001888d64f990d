/** A running test cluster: real etcd + kube-apiserver on loopback, seeded from fixtures. */
export interface TestCluster {
  /** Kubeconfig with contexts `admin`, `viewer` and `nobody` (current context: `admin`). */
  kubeconfigPath: string;
  /** HTTPS URL of the API server. */
  server: string;
  /** Static bearer tokens of the three users. */
  tokens: { admin: string; viewer: string; nobody: string };
  stop(): Promise<void>;
}
