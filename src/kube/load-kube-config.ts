import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';

/** Where a pod's service account credentials are mounted (in-cluster configuration). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface LoadKubeConfigOptions {
  /** Path of a kubeconfig (config.KUBECONFIG); when absent, the pod's service account is used. */
  kubeconfigPath?: string | undefined;
  /** Service-account token path; tests point it elsewhere. */
  serviceAccountTokenPath?: string;
}

/** Reads a kubeconfig file or the in-cluster service account. Throws KubeConfigError naming KUBECONFIG. */
export function loadKubeConfig({
  kubeconfigPath,
  serviceAccountTokenPath = SERVICE_ACCOUNT_TOKEN,
}: LoadKubeConfigOptions = {}): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath !== undefined) {
    try {
      kubeConfig.loadFromFile(kubeconfigPath);
    } catch (error) {
      throw new KubeConfigError(`KUBECONFIG: cannot load ${kubeconfigPath} (${(error as Error).message})`, { cause: error });
    }
  } else if (existsSync(serviceAccountTokenPath)) {
    kubeConfig.loadFromCluster();
  } else {
    throw new KubeConfigError('KUBECONFIG: is required outside a Kubernetes pod (expected the path of a kubeconfig file)');
  }
  return kubeConfig;
}

/** A copy of `base` set to `context`, so one loaded kubeconfig serves every context without shared state. */
export function kubeConfigForContext(base: KubeConfig, context: string | undefined): KubeConfig {
  const name = context ?? base.getCurrentContext();
  if (base.getContextObject(name) === null) throw new KubeConfigError(`kubeconfig has no context named ${name}`);
  const copy = new KubeConfig();
  copy.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: name });
  return copy;
}
