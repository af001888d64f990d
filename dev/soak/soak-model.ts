import { setTimeout as sleep } from 'node:timers/promises';
import { text, toolUse, type MessagesRequest, type ScriptedReply } from '../fakes/fake-anthropic-api.ts';
import { soakAnswerMark } from './soak-outcomes.ts';

/**
 * One scripted model turn for any soak question, decided from the request alone (concurrent questions, and
 * retried ones, share one script): after `latencyMs`, the first turn asks for pods_list, the turn that carries
 * its result answers with the question's mark.
 */
export const soakTurn =
  (latencyMs: number) =>
  async (request: MessagesRequest): Promise<ScriptedReply> => {
    await sleep(latencyMs);
    const messages = request.messages as { role: string; content: unknown }[];
    const last = messages.at(-1);
    const hasToolResults = Array.isArray(last?.content) && (last.content as { type?: unknown }[]).some((b) => b.type === 'tool_result');
    if (!hasToolResults) return { content: [text('Let me look at the pods.'), toolUse('pods_list', { namespace: 'shop' })] };
    const question = messages[0]?.content;
    const index = typeof question === 'string' ? Number(/^soak #(\d+):/.exec(question)?.[1] ?? Number.NaN) : Number.NaN;
    return { content: [text(`**checkout** is in CrashLoopBackOff ${soakAnswerMark(index)}.`)] };
  };
