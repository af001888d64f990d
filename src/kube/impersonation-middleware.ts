import type { Middleware, RequestContext } from '@kubernetes/client-node';

/** The Kubernetes user (and groups) the API server should act as, instead of the server's own identity. */
export interface KubeIdentity {
  user: string;
  groups: readonly string[];
}

/**
 * Adds Impersonate-User and one Impersonate-Group header per group to every API call. client-node's
 * kubeconfig `as:` covers the user only, and its request headers are a plain object that cannot repeat
 * a name, while Kubernetes reads each Impersonate-Group header as one group (a comma-joined value would
 * be a single group named "a,b"). So the headers are handed to the HTTP library as a list of pairs,
 * which is a valid fetch HeadersInit, computed when it reads them (after every other middleware).
 */
export function impersonationMiddleware(identity: KubeIdentity): Middleware {
  const impersonation: [string, string][] = [
    ['Impersonate-User', identity.user],
    ...identity.groups.map((group): [string, string] => ['Impersonate-Group', group]),
  ];
  return {
    pre: (request: RequestContext) => {
      const plainHeaders = request.getHeaders.bind(request);
      const withImpersonation = () => [
        // Any impersonation the kubeconfig user asked for is replaced, never combined.
        ...Object.entries(plainHeaders()).filter(([name]) => !/^impersonate-/i.test(name)),
        ...impersonation,
      ];
      // A list of pairs where the type says a record: see above; node-fetch accepts both.
      request.getHeaders = withImpersonation as unknown as RequestContext['getHeaders'];
      return Promise.resolve(request);
    },
    post: (response) => Promise.resolve(response),
  };
}
