import { CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest, type ScriptedReply } from '../../dev/fakes/fake-anthropic-api.ts';

/** The question of benchmark conversation `index`; the model's answer names the same index. */
export const benchQuestion = (index: number) => `bench #${index}: why is checkout crashing in shop?`;
export const benchAnswerMark = (index: number) => `(bench answer ${index})`;

/**
 * One scripted model turn for any benchmark conversation, decided from the request alone so concurrent
 * conversations can share one script queue: the first turn asks for two tools, the turn that carries
 * their results ends with an answer naming the conversation.
 */
export function conversationTurn(request: MessagesRequest): ScriptedReply {
  const messages = request.messages as { role: string; content: unknown }[];
  const last = messages.at(-1);
  const hasToolResults = Array.isArray(last?.content) && (last.content as { type?: unknown }[]).some((b) => b.type === 'tool_result');
  if (!hasToolResults) {
    return {
      content: [
        text('Let me look at the pods and the last crash.'),
        toolUse('pods_list', { namespace: 'shop' }),
        toolUse('pod_logs', { namespace: 'shop', name: CHECKOUT_POD, previous: true }),
      ],
    };
  }
  const question = messages[0]?.content;
  const index = typeof question === 'string' ? (/^bench #(\d+):/.exec(question)?.[1] ?? '?') : '?';
  return { content: [text(`**checkout** is in \`CrashLoopBackOff\`: it cannot reach payments-db ${benchAnswerMark(Number(index))}.`)] };
}
