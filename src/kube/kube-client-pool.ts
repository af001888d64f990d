import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, DEFAULT_MAX_SOCKETS, type KubeClient, type KubeIdentity } from './create-kube-client.ts';
import { kubeHttpLibrary, type KubeHttpLibrary } from './kube-http-library.ts';

/** Cluster clients per kubeconfig context and impersonated identity, built once and reused. */
export interface KubeClientPool {
  /** Every context of the kubeconfig, in its order. */
  contexts: readonly string[];
  currentContext: string;
  /** The client for a context (the current one when undefined), impersonating `identity` when given. */
  client(options?: { context?: string | undefined; impersonate?: KubeIdentity | undefined }): KubeClient;
  /** Closes the idle API server connections. */
  close(): void;
}

export interface CreateKubeClientPoolOptions {
  kubeConfig: KubeConfig;
  requestTimeoutMs?: number;
  /** Connections per context to its API server, shared by every identity acting through that context. */
  maxSockets?: number;
  /** Most clients kept; the oldest is dropped past it (each holds only config objects: the connections are per context). */
  maxClients?: number;
}

export function createKubeClientPool({
  kubeConfig,
  requestTimeoutMs = 15_000,
  maxSockets = DEFAULT_MAX_SOCKETS,
  maxClients = 200,
}: CreateKubeClientPoolOptions): KubeClientPool {
  const clients = new Map<string, KubeClient>();
  // Impersonation is a header, so one context's identities share its TLS settings and one pool of connections.
  const libraries = new Map<string, KubeHttpLibrary>();
  const libraryFor = (context: string) => {
    let library = libraries.get(context);
    if (library === undefined) {
      library = kubeHttpLibrary({ requestTimeoutMs, maxSockets });
      libraries.set(context, library);
    }
    return library;
  };
  const currentContext = kubeConfig.getCurrentContext();
  return {
    contexts: kubeConfig.getContexts().map((c) => c.name),
    currentContext,
    client({ context = currentContext, impersonate } = {}) {
      // NUL cannot occur in a context, user or group name, so the key is unambiguous.
      const key = [context, impersonate?.user ?? '', ...(impersonate?.groups ?? [])].join('\0');
      let client = clients.get(key);
      if (client === undefined) {
        client = createKubeClient({ kubeConfig, context, impersonate, requestTimeoutMs, httpLibrary: libraryFor(context) });
        if (clients.size >= maxClients) clients.delete(clients.keys().next().value as string);
        clients.set(key, client);
      }
      return client;
    },
    close: () => {
      for (const library of libraries.values()) library.close();
    },
  };
}
