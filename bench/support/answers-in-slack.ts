import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { benchAnswerMark } from './conversation-model.ts';

export interface ConversationOutcome {
  roots: number;
  /** Thread replies under the root (the answer replaces "Working on it", so one when done). */
  replies: number;
  /** Epoch ms the answer text reached the fake Slack; undefined while unanswered. */
  answeredAt: number | undefined;
}

/** What the fake Slack holds for each benchmark conversation, keyed by its index. */
export function answersInSlack(slack: FakeSlackApi): Map<number, ConversationOutcome> {
  const outcomes = new Map<number, ConversationOutcome>();
  for (const message of slack.messages()) {
    if (message.threadTs !== undefined) continue;
    const index = Number(/^bench #(\d+):/.exec(message.text)?.[1] ?? Number.NaN);
    if (Number.isNaN(index)) continue;
    const previous = outcomes.get(index);
    const replies = slack.thread(message.channel, message.ts).filter((m) => m.ts !== message.ts);
    const mark = benchAnswerMark(index);
    const answer = replies.find((m) => m.text.includes(mark));
    const answeredAt = answer === undefined ? undefined : (answer.edits.find((e) => e.text.includes(mark))?.at ?? answer.postedAt);
    outcomes.set(index, {
      roots: (previous?.roots ?? 0) + 1,
      replies: (previous?.replies ?? 0) + replies.length,
      answeredAt: previous?.answeredAt ?? answeredAt,
    });
  }
  return outcomes;
}
