import { CHAT_USER } from '../policy/policy-schema.ts';
import type { ChatJob } from '../queue/chat-job.ts';

/**
 * The `X-Ai4k8s-User` value for the person who asked: `<platform>:<workspace>:<user>`. Undefined when
 * the ids cannot form a valid one: the MCP server then treats the request as naming no user, which its
 * policy refuses or maps to its own identity, rather than the whole request failing with 400.
 */
export function chatUserOf(job: ChatJob): string | undefined {
  const chatUser = `${job.platform}:${job.replyTarget.teamId}:${job.user.id}`;
  return CHAT_USER.test(chatUser) ? chatUser : undefined;
}
