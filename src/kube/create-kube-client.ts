import {
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  ServerConfiguration,
  type KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';
import { impersonationMiddleware, type KubeIdentity } from './impersonation-middleware.ts';
import { kubeHttpLibrary, type KubeHttpLibrary } from './kube-http-library.ts';
import { kubeConfigForContext, loadKubeConfig } from './load-kube-config.ts';

export type { KubeIdentity } from './impersonation-middleware.ts';

/**
 * Connections to one API server used at once, per MCP server process and kubeconfig context. Far below
 * kube-apiserver's --max-requests-inflight (400 reads by default, shared with every controller), so a
 * burst of tool calls waits in our pool instead of being answered 429 by the API server.
 */
export const DEFAULT_MAX_SOCKETS = 64;

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
  /**
   * The connections to the API server: pass one library to share its bounded keep-alive pool between
   * clients of the same cluster (the pool does, per context); absent, the client gets its own.
   */
  httpLibrary?: KubeHttpLibrary;
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
  httpLibrary,
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
    httpApi: httpLibrary ?? kubeHttpLibrary({ requestTimeoutMs, maxSockets: DEFAULT_MAX_SOCKETS }),
    promiseMiddleware: impersonate === undefined ? [] : [impersonationMiddleware(impersonate)],
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
