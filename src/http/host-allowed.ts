/** Names every local client may use; a DNS-rebinding page cannot make a browser send these for its own origin. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Addresses that mean "every interface": clients never send them as a Host. */
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The Host names a server answers: loopback, the address it binds (HOST) and the configured extra names
 * (MCP_ALLOWED_HOSTS for /mcp, e.g. the in-cluster service names; CONSOLE_ALLOWED_HOSTS for /console, e.g. the
 * console's ingress name). Lower-cased, without port.
 */
export function allowedHosts({ bindHost, extra }: { bindHost: string; extra: readonly string[] }): ReadonlySet<string> {
  const bind = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  return new Set([...LOOPBACK, ...(WILDCARD.has(bind) ? [] : [bind]), ...extra].map((host) => host.toLowerCase()));
}

/**
 * Does a Host header name an allowed host (any port)? A request whose Host the server does not know is
 * refused: a browser tricked by DNS rebinding sends the attacker's name, never ours.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  // Exactly a name or bracketed IPv6 address and an optional port: no credentials, path or odd spellings.
  const hostname = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.exec(hostHeader ?? '')?.[1];
  if (hostname === undefined) return false;
  // A fully qualified name may end in a dot (ai4k8s-mcp.ai4k8s.svc.cluster.local.).
  return allowed.has(hostname.toLowerCase().replace(/\.$/, ''));
}
