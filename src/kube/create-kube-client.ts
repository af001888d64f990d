import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  ServerConfiguration,
  type KubeConfig,
  VersionApi,
  type Middleware,
} from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';
import { impersonationMiddleware, type KubeIdentity } from './impersonation-middleware.ts';
import { keepAliveMiddleware } from './keep-alive-middleware.ts';
import { kubeConfigForContext, loadKubeConfig } from './load-kube-config.ts';

export type { KubeIdentity } from './impersonation-middleware.ts';

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
  /** The identity every call impersonates; absent when the kubeconfig's own identity acts. */
  impersonating?: KubeIdentity;
}

export interface CreateKubeClientOptions {
  /** Path of a kubeconfig (config.KUBECONFIG); when absent, the pod's service account is used. */
  kubeconfigPath?: string | undefined;
  /** An already loaded kubeconfig; wins over kubeconfigPath and is not modified. */
  kubeConfig?: KubeConfig;
  /** A context of the kubeconfig; its current context when absent. */
  context?: string | undefined;
  /** Per-request limit, so a black-holed API server becomes a clear error instead of a hung tool. */
  requestTimeoutMs?: number;
  /** Service-account token path; tests point it elsewhere. */
  serviceAccountTokenPath?: string;
  /** Act as this user and these groups on every call (Impersonate-User / Impersonate-Group). */
  impersonate?: KubeIdentity | undefined;
}

/** Builds API clients from a kubeconfig file or the in-cluster service account. Throws KubeConfigError. */
export function createKubeClient({
  kubeconfigPath,
  kubeConfig: loaded,
  context,
  requestTimeoutMs = 15_000,
  serviceAccountTokenPath,
  impersonate,
}: CreateKubeClientOptions = {}): KubeClient {
  const base = loaded ?? loadKubeConfig({ kubeconfigPath, ...(serviceAccountTokenPath === undefined ? {} : { serviceAccountTokenPath }) });
  const kubeConfig = kubeConfigForContext(base, context);
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new KubeConfigError(`KUBECONFIG: the context "${kubeConfig.getCurrentContext()}" names no cluster`);
  }
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [timeoutMiddleware(requestTimeoutMs), keepAliveMiddleware(), ...(impersonate === undefined ? [] : [impersonationMiddleware(impersonate)])],
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
    ...(impersonate === undefined ? {} : { impersonating: impersonate }),
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
