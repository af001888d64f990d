import { randomInt } from 'node:crypto';
import { text, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../../dev/support/slack-requests.ts';
import { SIGNING_SECRET } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';
import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';

export const BURST_CHANNEL = 'C0BURST001';
const BOT = 'U0FAKEBOT1';

export interface BurstQuestion {
  question: string;
  ts: string;
  /** Slack deliveries it took until the gateway acknowledged it (200). */
  deliveries: number;
}

/** The model's answer names the question it was asked, so a test can match answers to questions. */
export const answerOf = (question: string) => `Answer to ${question}.`;

/** A scripted model turn that answers whatever question the request carries, by name. */
export function answerByName(request: MessagesRequest): { content: ReturnType<typeof text>[] } {
  const asked = /burst-q-[0-9a-z-]+/.exec(JSON.stringify(request.messages))?.[0] ?? 'nothing';
  return { content: [text(answerOf(asked))] };
}

/**
 * `count` app_mention events sent concurrently as Slack sends them: a delivery that is not acknowledged with a
 * 200 (the gateway could not enqueue it) is delivered again with X-Slack-Retry-Num, as Slack does, until it is.
 */
export async function askBurst({
  gatewayUrl,
  count,
  label,
  gapMs = 0,
  giveUpMs = 40_000,
}: {
  gatewayUrl: string;
  count: number;
  label: string;
  gapMs?: number;
  giveUpMs?: number;
}): Promise<BurstQuestion[]> {
  const base = `1700000${String(randomInt(100_000)).padStart(5, '0')}`;
  const ask = async (index: number): Promise<BurstQuestion> => {
    const question = `burst-q-${label}-${index}`;
    const ts = `${base}.${String(index).padStart(6, '0')}`;
    const body = eventCallbackBody({
      event: { type: 'app_mention', user: 'U0ALICE001', text: `<@${BOT}> ${question}`, ts, channel: BURST_CHANNEL },
      eventId: `Ev${label}${index}`.toUpperCase(),
    });
    const deadline = Date.now() + giveUpMs;
    for (let delivery = 1; ; delivery += 1) {
      const response = await postToSlackEndpoint({
        gatewayUrl,
        body,
        contentType: 'application/json',
        secret: SIGNING_SECRET,
        ...(delivery > 1 ? { retryNum: delivery - 1 } : {}),
      }).catch(() => undefined);
      await response?.body?.cancel();
      if (response?.status === 200) return { question, ts, deliveries: delivery };
      if (Date.now() > deadline) throw new Error(`${question} was never acknowledged (last status ${response?.status ?? 'no response'})`);
      await sleep(300);
    }
  };
  const asked: Promise<BurstQuestion>[] = [];
  for (let index = 0; index < count; index += 1) {
    asked.push(ask(index));
    if (gapMs > 0) await sleep(gapMs);
  }
  return Promise.all(asked);
}

/**
 * Waits until every question has its answer in its thread, then (after a pause for late duplicates) returns the
 * questions whose answer appears other than exactly once.
 */
export async function unansweredOrDuplicated(
  slack: FakeSlackApi,
  questions: readonly BurstQuestion[],
  timeoutMs = 40_000,
): Promise<string[]> {
  const answers = (q: BurstQuestion) => slack.thread(BURST_CHANNEL, q.ts).filter((m) => m.text.includes(answerOf(q.question)));
  await slack
    .waitFor(
      (s) =>
        questions.every((q) => answers(q).length > 0 && s.thread(BURST_CHANNEL, q.ts).every((m) => !m.text.includes('Working on it'))) ||
        undefined,
      timeoutMs,
    )
    .catch(() => undefined);
  await sleep(1_000);
  return questions.filter((q) => answers(q).length !== 1).map((q) => `${q.question}: ${answers(q).length} answers`);
}
