/** A running test cluster: real etcd + kube-apiserver on loopback, seeded from fixtures. */
export interface TestCluster {
  /** Kubeconfig with contexts `admin`, `viewer` and `nobody` (current context: `admin`). */
  kubeconfigPath: string;
  /** HTTPS URL of the API server. */
  server: string;
  /** Static bearer tokens of the three users. */
  tokens: { admin: string; viewer: string; nobody: string };
  /**
   * Restarts kube-apiserver as a rollout or a crash would (etcd keeps the data): SIGTERM, or SIGKILL with
   * `kill`, then `downMs` with nothing listening, then a new process on the same port, resolved once ready.
   */
  restartApiServer(options?: { kill?: boolean; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}
