import type { IncomingHttpHeaders } from 'node:http';
import { CHAT_USER } from '../policy/policy-schema.ts';

/**
 * The HTTP header naming the chat user a request acts for, e.g. `X-Ai4k8s-User: slack:T0123:U0456`.
 * A header rather than MCP `_meta`: it travels with every request of the stateless transport, is read
 * before any MCP processing, and any MCP client can be configured to send a fixed header.
 */
export const CALLER_USER_HEADER = 'x-ai4k8s-user';

/** The chat user a request names: absent, one well-formed id, or invalid (repeated or malformed). */
export type CallerUser = { kind: 'absent' } | { kind: 'named'; chatUser: string } | { kind: 'invalid' };

export function callerUser(headers: IncomingHttpHeaders): CallerUser {
  const value = headers[CALLER_USER_HEADER];
  if (value === undefined) return { kind: 'absent' };
  if (typeof value !== 'string' || !CHAT_USER.test(value)) return { kind: 'invalid' };
  return { kind: 'named', chatUser: value };
}
