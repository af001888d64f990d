import { Agent } from 'node:https';
import type { Middleware } from '@kubernetes/client-node';

/**
 * client-node 1.4 gives every request a fresh https.Agent (built from the kubeconfig's CA and client
 * certificate), so every API call pays a new TCP + TLS handshake. This swaps in one keep-alive agent with
 * the same TLS options, shared by every call of one client (one cluster identity).
 */
export function keepAliveMiddleware(): Middleware {
  let shared: Agent | undefined;
  return {
    pre: (request) => {
      const own = request.getAgent();
      if (own instanceof Agent) {
        // Idle sockets close after 30 s so a quiet server holds no connections open.
        shared ??= new Agent({ ...own.options, keepAlive: true, maxSockets: 32, timeout: 30_000 });
        request.setAgent(shared);
      }
      return Promise.resolve(request);
    },
    post: (response) => Promise.resolve(response),
  };
}
