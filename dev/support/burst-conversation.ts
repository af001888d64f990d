import { CHECKOUT_POD, SHOP_NAMESPACE } from '../cluster/fixture-names.ts';
import { text, toolUse, type FakeAnthropicApi, type MessagesRequest, type ScriptedReply } from '../fakes/fake-anthropic-api.ts';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';

/** The question of burst conversation `index`; the model's answer carries the same index. */
export const burstQuestion = (index: number) => `burst #${index}: why is checkout failing in shop?`;
const answerMark = (index: number) => `(burst answer ${index})`;

/** Model turns per burst conversation: two tool-call turns, then the answer. */
export const BURST_TURNS = 3;

/**
 * One model turn of any burst conversation, decided from the request alone so concurrent conversations share
 * one script queue: real read tools against the test cluster (diagnose, then pods_list), then an answer.
 */
export function burstTurn(request: MessagesRequest): ScriptedReply {
  const messages = request.messages as { role: string; content: unknown }[];
  const results = messages.filter(
    (m) => Array.isArray(m.content) && (m.content as { type?: unknown }[]).some((b) => b.type === 'tool_result'),
  ).length;
  if (results === 0)
    return {
      content: [text('Diagnosing the checkout pod.'), toolUse('diagnose', { kind: 'Pod', namespace: SHOP_NAMESPACE, name: CHECKOUT_POD })],
    };
  if (results === 1) return { content: [text('And the rest of the namespace.'), toolUse('pods_list', { namespace: SHOP_NAMESPACE })] };
  const question = messages[0]?.content;
  const index = typeof question === 'string' ? (/^burst #(\d+):/.exec(question)?.[1] ?? '?') : '?';
  return { content: [text(`**checkout** is in \`CrashLoopBackOff\` ${answerMark(Number(index))}.`)] };
}

/** Scripts enough turns for `conversations` burst conversations. */
export function scriptBurst(model: FakeAnthropicApi, conversations: number): void {
  model.script(...Array.from({ length: BURST_TURNS * conversations }, () => burstTurn));
}

export interface BurstOutcome {
  roots: number;
  /** Replies in the thread (the answer replaces "Working on it…", so one when done). */
  replies: number;
  /** Epoch ms the answer reached the fake Slack; undefined while unanswered. */
  answeredAt: number | undefined;
  /** The answer (or a reply) is an error message (⚠️) instead. */
  errorAnswer: boolean;
}

/**
 * What the fake Slack holds for each burst conversation, by index. One pass over the messages (replies grouped by
 * thread first): the benchmark polls this every 100 ms while 1,000 conversations post thousands of messages, and a
 * thread lookup per root made each poll quadratic, CPU taken from the processes being measured on the same machine.
 */
export function burstOutcomes(slack: FakeSlackApi): Map<number, BurstOutcome> {
  const outcomes = new Map<number, BurstOutcome>();
  const messages = slack.messages();
  const replies = new Map<string, typeof messages>();
  for (const message of messages) {
    if (message.threadTs === undefined || message.threadTs === message.ts) continue;
    const key = `${message.channel} ${message.threadTs}`;
    const thread = replies.get(key);
    if (thread === undefined) replies.set(key, [message]);
    else thread.push(message);
  }
  for (const message of messages) {
    if (message.threadTs !== undefined) continue;
    const index = Number(/^burst #(\d+):/.exec(message.text)?.[1] ?? Number.NaN);
    if (Number.isNaN(index)) continue;
    const previous = outcomes.get(index);
    const thread = replies.get(`${message.channel} ${message.ts}`) ?? [];
    const mark = answerMark(index);
    const answer = thread.find((m) => m.text.includes(mark));
    const answeredAt = answer === undefined ? undefined : (answer.edits.find((e) => e.text.includes(mark))?.at ?? answer.postedAt);
    outcomes.set(index, {
      roots: (previous?.roots ?? 0) + 1,
      replies: (previous?.replies ?? 0) + thread.length,
      answeredAt: previous?.answeredAt ?? answeredAt,
      errorAnswer: (previous?.errorAnswer ?? false) || thread.some((m) => m.text.includes('⚠️')),
    });
  }
  return outcomes;
}

/** Tool results the model was sent with is_error, and the first one's text. */
export function failedToolResults(model: FakeAnthropicApi): { count: number; first: string | undefined } {
  const failed: string[] = [];
  for (const request of model.requests) {
    if (request.status !== 200) continue;
    const messages = (request.body.messages ?? []) as { content: unknown }[];
    const last = messages.at(-1)?.content;
    if (!Array.isArray(last)) continue;
    for (const block of last as { type?: unknown; is_error?: unknown; content?: unknown }[]) {
      if (block.type === 'tool_result' && block.is_error === true)
        failed.push(typeof block.content === 'string' ? block.content : JSON.stringify(block.content));
    }
  }
  return { count: failed.length, first: failed[0] };
}
