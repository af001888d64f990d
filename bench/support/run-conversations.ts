import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { postToSlackEndpoint, slashCommandBody } from '../../dev/support/slack-requests.ts';
import { answersInSlack } from './answers-in-slack.ts';
import { benchQuestion } from './conversation-model.ts';
import { forEachConcurrently } from './for-each-concurrently.ts';

export interface ConversationsRun {
  answered: number;
  wallMs: number;
  latenciesMs: number[];
  problems: string[];
}

export interface RunConversationsOptions {
  gatewayUrl: string;
  slack: FakeSlackApi;
  /** Index of the first conversation (indexes name questions and answers). */
  first: number;
  count: number;
  /** Slash commands in flight at once. */
  senders: number;
  deadlineMs: number;
  signingSecret: string;
}

/** Sends `count` slash commands and waits until each is answered in its thread (or the deadline passes). */
export async function runConversations({
  gatewayUrl,
  slack,
  first,
  count,
  senders,
  deadlineMs,
  signingSecret,
}: RunConversationsOptions): Promise<ConversationsRun> {
  const sentAt = new Map<number, number>();
  const problems: string[] = [];
  const started = Date.now();
  await forEachConcurrently(count, senders, async (offset) => {
    const index = first + offset;
    sentAt.set(index, Date.now());
    const body = slashCommandBody({ text: benchQuestion(index), triggerId: `bench.${started}.${index}` });
    const response = await postToSlackEndpoint({ gatewayUrl, body, secret: signingSecret });
    await response.text();
    if (response.status !== 200) problems.push(`conversation ${index}: slash command got HTTP ${response.status}`);
  });
  const deadline = started + deadlineMs;
  let outcomes = answersInSlack(slack);
  while (countAnswered(outcomes, first, count) < count && Date.now() < deadline) {
    await sleep(50);
    outcomes = answersInSlack(slack);
  }
  await sleep(200); // room for a wrong second answer to show up
  outcomes = answersInSlack(slack);
  const latenciesMs: number[] = [];
  let lastAnswerAt = started;
  for (let index = first; index < first + count; index += 1) {
    const outcome = outcomes.get(index);
    if (outcome?.answeredAt === undefined) {
      problems.push(`conversation ${index}: no answer within ${deadlineMs} ms`);
      continue;
    }
    if (outcome.roots !== 1 || outcome.replies !== 1)
      problems.push(`conversation ${index}: ${outcome.roots} root messages and ${outcome.replies} replies, expected 1 and 1`);
    latenciesMs.push(outcome.answeredAt - (sentAt.get(index) ?? started));
    lastAnswerAt = Math.max(lastAnswerAt, outcome.answeredAt);
  }
  return { answered: latenciesMs.length, wallMs: lastAnswerAt - started, latenciesMs, problems: problems.slice(0, 10) };
}

const countAnswered = (outcomes: ReturnType<typeof answersInSlack>, first: number, count: number) =>
  [...outcomes.entries()].filter(([index, o]) => index >= first && index < first + count && o.answeredAt !== undefined).length;
