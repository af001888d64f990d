import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient, type KubeIdentity } from './create-kube-client.ts';

/** Cluster clients per kubeconfig context and impersonated identity, built once and reused. */
export interface KubeClientPool {
  /** Every context of the kubeconfig, in its order. */
  contexts: readonly string[];
  currentContext: string;
  /** The client for a context (the current one when undefined), impersonating `identity` when given. */
  client(options?: { context?: string | undefined; impersonate?: KubeIdentity | undefined }): KubeClient;
}

export interface CreateKubeClientPoolOptions {
  kubeConfig: KubeConfig;
  requestTimeoutMs?: number;
  /** Most clients kept; the oldest is dropped past it (each holds only config objects, no sockets). */
  maxClients?: number;
}

export function createKubeClientPool({ kubeConfig, requestTimeoutMs, maxClients = 200 }: CreateKubeClientPoolOptions): KubeClientPool {
  const clients = new Map<string, KubeClient>();
  const currentContext = kubeConfig.getCurrentContext();
  return {
    contexts: kubeConfig.getContexts().map((c) => c.name),
    currentContext,
    client({ context = currentContext, impersonate } = {}) {
      // NUL cannot occur in a context, user or group name, so the key is unambiguous.
      const key = [context, impersonate?.user ?? '', ...(impersonate?.groups ?? [])].join('\0');
      let client = clients.get(key);
      if (client === undefined) {
        client = createKubeClient({ kubeConfig, context, impersonate, ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }) });
        if (clients.size >= maxClients) clients.delete(clients.keys().next().value as string);
        clients.set(key, client);
      }
      return client;
    },
  };
}
