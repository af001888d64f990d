/**
 * The HTTP header naming the chat user a request acts for, e.g. `X-Ai4k8s-User: slack:T0123:U0456`.
 * A header rather than MCP `_meta`: it travels with every request of the stateless transport, is read
 * before any MCP processing, and any MCP client can be configured to send a fixed header.
 */
export const CALLER_USER_HEADER = 'x-ai4k8s-user';
