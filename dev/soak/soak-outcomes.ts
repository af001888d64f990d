import type { FakeSlackMessage } from '../fakes/fake-slack-api.ts';

/** What the gateway's ack told the user. */
export type AckKind = 'queued' | 'not_started' | 'unconfirmed' | 'failed';

export const soakQuestion = (index: number) => `soak #${index}: what is wrong with checkout in shop?`;
export const soakAnswerMark = (index: number) => `(soak answer ${index})`;

/** One question's fate, counted from what the fake Slack holds. */
export interface QuestionOutcome {
  index: number;
  ack: AckKind;
  sentAt: number;
  roots: number;
  /** Replies carrying this question's answer mark (the answer replaces the progress message). */
  answers: number;
  /** Replies still saying "Working on it…" (a progress message nothing replaced). */
  orphanedProgress: number;
  /** Replies with a warning (error answers, "could not finish"). */
  errorAnswers: number;
  /** Epoch ms the answer text reached Slack; undefined while unanswered. */
  answeredAt: number | undefined;
}

export interface SentQuestion {
  index: number;
  ack: AckKind;
  sentAt: number;
}

/** Counts, for each sent question, its roots, answers, orphaned progress messages and error answers. */
export function countOutcomes(sent: readonly SentQuestion[], messages: readonly FakeSlackMessage[]): QuestionOutcome[] {
  const byIndex = new Map<number, FakeSlackMessage[]>();
  for (const message of messages) {
    if (message.threadTs !== undefined) continue;
    const index = Number(/^soak #(\d+):/.exec(message.text)?.[1] ?? Number.NaN);
    if (!Number.isNaN(index)) byIndex.set(index, [...(byIndex.get(index) ?? []), message]);
  }
  return sent.map(({ index, ack, sentAt }) => {
    const roots = byIndex.get(index) ?? [];
    const replies = roots.flatMap((root) =>
      messages.filter((m) => m.channel === root.channel && m.threadTs === root.ts && m.ts !== root.ts),
    );
    const mark = soakAnswerMark(index);
    const answers = replies.filter((m) => m.text.includes(mark));
    const first = answers[0];
    const answeredAt = first === undefined ? undefined : (first.edits.find((e) => e.text.includes(mark))?.at ?? first.postedAt);
    return {
      index,
      ack,
      sentAt,
      roots: roots.length,
      answers: answers.length,
      orphanedProgress: replies.filter((m) => m.text.includes('Working on it')).length,
      errorAnswers: replies.filter((m) => m.text.includes('⚠️')).length,
      answeredAt,
    };
  });
}

/**
 * The soak's requirements (issue 14): every acknowledged question has exactly one root and one answer, no
 * orphaned progress message and no error answer (every restart is shorter than the retry window); a question
 * the user was told was not started is never answered; an unconfirmed one (or one whose ack failed) is answered
 * at most once, cleanly.
 */
export function soakProblems(outcomes: readonly QuestionOutcome[]): string[] {
  const problems: string[] = [];
  const describe = (o: QuestionOutcome) =>
    `#${o.index} (${o.ack}): ${o.roots} roots, ${o.answers} answers, ${o.orphanedProgress} orphaned progress, ${o.errorAnswers} error answers`;
  for (const o of outcomes) {
    const clean = o.orphanedProgress === 0 && o.errorAnswers === 0;
    const ok =
      o.ack === 'queued'
        ? o.roots === 1 && o.answers === 1 && clean
        : o.ack === 'not_started'
          ? o.roots === 0 && o.answers === 0
          : o.roots <= 1 && o.answers === o.roots && clean;
    if (!ok) problems.push(describe(o));
  }
  return problems;
}
