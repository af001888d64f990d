import assert from 'node:assert/strict';
import type { FakeSlackApi, FakeSlackMessage } from '../fakes/fake-slack-api.ts';
import { blockActionsBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, type Stack } from './start-stack.ts';

/** An approval card in a `/k8s` thread, its token, and the thread's root. */
export interface Card {
  message: FakeSlackMessage;
  token: string;
  root: FakeSlackMessage;
}

const tokenOf = (message: FakeSlackMessage): string | undefined => {
  const actions = (message.blocks ?? []).find((b) => (b as { type?: string }).type === 'actions') as { elements?: { value?: string }[] } | undefined;
  return actions?.elements?.[0]?.value;
};

/** The approval card in the thread of the root message for `question`, once the model's answer is delivered too. */
export async function waitForCard(slack: FakeSlackApi, question: string, answer: string): Promise<Card> {
  return slack.waitFor((s) => {
    const root = s.messages().find((m) => m.threadTs === undefined && m.text.startsWith(question));
    if (root === undefined) return undefined;
    const thread = s.thread(root.channel, root.ts);
    const message = thread.find((m) => tokenOf(m) !== undefined);
    const token = message === undefined ? undefined : tokenOf(message);
    if (message === undefined || token === undefined || !thread.some((m) => m.text.includes(answer))) return undefined;
    return { message, token, root };
  }, 20_000);
}

/** A signed Approve / Deny click on `card` by `userId`, through the gateway. */
export async function click(stack: Stack, card: Card, action: 'approve' | 'deny', userId: string): Promise<void> {
  const body = blockActionsBody({
    actionId: `ai4k8s_${action}`,
    value: card.token,
    userId,
    channelId: card.message.channel,
    messageTs: card.message.ts,
    threadTs: card.root.ts,
  });
  const response = await postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET });
  assert.equal(response.status, 200);
}

