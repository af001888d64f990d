import type { FakeSlackApi, FakeSlackMessage } from '../../dev/fakes/fake-slack-api.ts';
import type { MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';

/** The thread under the bot's root message for `question`, once the answer (not "Working…") is in it. */
export async function waitForAnswer(
  slack: FakeSlackApi,
  question: string,
  timeoutMs = 20_000,
): Promise<{ root: FakeSlackMessage; replies: FakeSlackMessage[] }> {
  return slack.waitFor((s) => {
    const root = s.messages().find((m) => m.threadTs === undefined && m.text.startsWith(question));
    if (root === undefined) return undefined;
    const replies = s.thread(root.channel, root.ts).filter((m) => m.ts !== root.ts);
    // An answer is complete when its last message carries the context line (or it is a warning).
    const last = replies[replies.length - 1]?.text ?? '';
    const complete = /\d+ steps? · [\d,]+ tokens_|⚠️|AI is not configured|_direct mode /.test(last);
    const answered = complete && replies.every((m) => !m.text.includes('Working on it'));
    return answered ? { root, replies } : undefined;
  }, timeoutMs);
}

/**
 * The bot's replies in a thread it did not start (a mention, DM or follow-up), once `count` replies are
 * there and all of them are finished answers (no "Working…" left).
 */
export async function waitForThreadAnswers(
  slack: FakeSlackApi,
  channel: string,
  threadTs: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<FakeSlackMessage[]> {
  return slack.waitFor((s) => {
    const replies = s.thread(channel, threadTs).filter((m) => m.ts !== threadTs);
    const finished = replies.every((m) => !m.text.includes('Working on it') && /\d+ steps? · [\d,]+ tokens_|⚠️/.test(m.text));
    return replies.length >= count && finished ? replies : undefined;
  }, timeoutMs);
}

/** Every tool_result text the model received in one request's last user message. */
export function toolResultsOf(request: MessagesRequest | Record<string, unknown>): { id: string; text: string; isError: boolean }[] {
  const messages = request.messages as { role: string; content: unknown }[];
  const last = messages[messages.length - 1];
  if (last === undefined || !Array.isArray(last.content)) return [];
  return (last.content as Record<string, unknown>[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({
      id: String(b.tool_use_id),
      text: typeof b.content === 'string' ? b.content : JSON.stringify(b.content),
      isError: b.is_error === true,
    }));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
