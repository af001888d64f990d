import type { IncomingHttpHeaders } from 'node:http';
import { CALLER_USER_HEADER } from '../contract/caller-user-header.ts';
import { CHAT_USER } from '../policy/policy-schema.ts';

/** The chat user a request names: absent, one well-formed id, or invalid (repeated or malformed). */
export type CallerUser = { kind: 'absent' } | { kind: 'named'; chatUser: string } | { kind: 'invalid' };

export function callerUser(headers: IncomingHttpHeaders): CallerUser {
  const value = headers[CALLER_USER_HEADER];
  if (value === undefined) return { kind: 'absent' };
  if (typeof value !== 'string' || !CHAT_USER.test(value)) return { kind: 'invalid' };
  return { kind: 'named', chatUser: value };
}
