import { existsSync } from 'node:fs';
import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  ServerConfiguration,
  VersionApi,
  type Middleware,
} from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';

/** Where a pod's service account credentials are mounted (in-cluster configuration). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The API clients of one cluster identity, shared by every tool call of a request. */
export interface KubeClient {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  version: VersionApi;
  custom: CustomObjectsApi;
  /** API server URL, for messages (never carries credentials). */
  server: string;
  /** Kubeconfig context in use. */
  context: string;
  /** The context's namespace, or `default`: what kubectl uses when no -n is given. */
  defaultNamespace: string;
}

export interface CreateKubeClientOptions {
  /** Path of a kubeconfig (config.KUBECONFIG); when absent, the pod's service account is used. */
  kubeconfigPath?: string | undefined;
  /** A context of the kubeconfig; its current context when absent. */
  context?: string | undefined;
  /** Per-request limit, so a black-holed API server becomes a clear error instead of a hung tool. */
  requestTimeoutMs?: number;
  /** Service-account token path; tests point it elsewhere. */
  serviceAccountTokenPath?: string;
}

/** Builds API clients from a kubeconfig file or the in-cluster service account. Throws KubeConfigError. */
export function createKubeClient({
  kubeconfigPath,
  context,
  requestTimeoutMs = 15_000,
  serviceAccountTokenPath = SERVICE_ACCOUNT_TOKEN,
}: CreateKubeClientOptions = {}): KubeClient {
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
    throw new KubeConfigError(
      'KUBECONFIG: is required outside a Kubernetes pod (expected the path of a kubeconfig file)',
    );
  }
  if (context !== undefined) {
    if (kubeConfig.getContextObject(context) === null) {
      throw new KubeConfigError(`kubeconfig has no context named ${context}`);
    }
    kubeConfig.setCurrentContext(context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new KubeConfigError(`KUBECONFIG: the current context "${kubeConfig.getCurrentContext()}" names no cluster`);
  }
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [timeoutMiddleware(requestTimeoutMs)],
  });
  const contextName = kubeConfig.getCurrentContext();
  return {
    kubeConfig,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    version: new VersionApi(configuration),
    custom: new CustomObjectsApi(configuration),
    server: cluster.server,
    context: contextName,
    defaultNamespace: kubeConfig.getContextObject(contextName)?.namespace ?? 'default',
  };
}

function timeoutMiddleware(ms: number): Middleware {
  return {
    pre: (request) => {
      if (request.getSignal() === undefined) request.setSignal(AbortSignal.timeout(ms));
      return Promise.resolve(request);
    },
    post: (response) => Promise.resolve(response),
  };
}
