import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { testCluster } from '../cluster/shared-cluster.ts';
import { text, type MessagesRequest } from '../fakes/fake-anthropic-api.ts';
import type { FakeSlackApi, FakeSlackMessage } from '../fakes/fake-slack-api.ts';
import { blockActionsBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, type Stack } from './start-stack.ts';

/** An approval card in a `/k8s` thread, its token, its Approve button's value, and the thread's root. */
export interface Card {
  message: FakeSlackMessage;
  token: string;
  /** What the buttons carry back: `<token>.<digest of the action the card shows>`. */
  value: string;
  root: FakeSlackMessage;
}

const valueOf = (message: FakeSlackMessage): string | undefined => {
  const actions = (message.blocks ?? []).find((b) => (b as { type?: string }).type === 'actions') as
    { elements?: { value?: string }[] } | undefined;
  return actions?.elements?.[0]?.value;
};

/** The approval card in the thread of the root message for `question`, once the model's answer is delivered too. */
export async function waitForCard(slack: FakeSlackApi, question: string, answer: string): Promise<Card> {
  return slack.waitFor((s) => {
    const root = s.messages().find((m) => m.threadTs === undefined && m.text.startsWith(question));
    if (root === undefined) return undefined;
    const thread = s.thread(root.channel, root.ts);
    const message = thread.find((m) => valueOf(m) !== undefined);
    const value = message === undefined ? undefined : valueOf(message);
    if (message === undefined || value === undefined || !thread.some((m) => m.text.includes(answer))) return undefined;
    return { message, token: value.split('.')[0] ?? value, value, root };
  }, 20_000);
}

/**
 * A signed Approve / Deny click on `card` by `userId`, through the gateway. `teamId`: the workspace the click
 * names (Enterprise Grid / Slack Connect: the clicker's own, not the one the question came through).
 */
export async function click(stack: Stack, card: Card, action: 'approve' | 'deny', userId: string, teamId?: string): Promise<void> {
  const body = blockActionsBody({
    ...(teamId === undefined ? {} : { teamId }),
    actionId: `ai4k8s_${action}`,
    value: card.value,
    userId,
    channelId: card.message.channel,
    messageTs: card.message.ts,
    threadTs: card.root.ts,
  });
  const response = await postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET });
  assert.equal(response.status, 200);
}

/** Admin API clients of the test cluster. */
export async function adminApis(): Promise<{ apps: AppsV1Api; core: CoreV1Api }> {
  const kc = new KubeConfig();
  kc.loadFromFile((await testCluster()).kubeconfigPath);
  kc.setCurrentContext('admin');
  return { apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) };
}

/**
 * A namespace and a 2-replica deployment of the calling test's own, to scale without disturbing the
 * shop fixtures other test files read meanwhile. Nothing runs controllers, so no pods appear.
 */
export async function createOwnDeployment({
  namespace,
  name,
}: {
  namespace: string;
  name: string;
}): Promise<{ apps: AppsV1Api; core: CoreV1Api }> {
  const apis = await adminApis();
  await apis.core.createNamespace({ body: { metadata: { name: namespace } } });
  const labels = { app: name };
  await apis.apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0' }] } },
      },
    },
  });
  return apis;
}

/** The model's follow-up after a decision: the request it got (with the outcome) and its reply, posted in the card's thread. */
export interface Continuation {
  request: Promise<MessagesRequest>;
  /** Resolves once `reply` is posted (as an answer, not "Working…") in the card's thread. */
  posted: (card: Card) => Promise<FakeSlackMessage>;
}

/**
 * Scripts the model's reply to the follow-up request a decision (approve, deny, expiry) triggers, so it does not
 * eat a later test's script, and lets the test assert on both.
 */
export function scriptContinuation(stack: Stack, reply: string): Continuation {
  let received: (request: MessagesRequest) => void = () => undefined;
  const request = new Promise<MessagesRequest>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the model got no follow-up request (expected one answered with "${reply}")`)), 25_000);
    timer.unref();
    received = (r) => {
      clearTimeout(timer);
      resolve(r);
    };
  });
  request.catch(() => undefined); // awaited by the tests that care; the others must not see an unhandled rejection
  stack.model.script((r: MessagesRequest) => {
    received(r);
    return { content: [text(reply)] };
  });
  return {
    request,
    posted: (card) => stack.slack.waitFor((s) => s.thread(card.root.channel, card.root.ts).find((m) => m.text.includes(reply)), 20_000),
  };
}

/** The text of the last user message of a model request (the follow-up's outcome). */
export function lastUserText(request: MessagesRequest): string {
  const last = request.messages.at(-1) as { role?: string; content?: unknown } | undefined;
  if (typeof last?.content === 'string') return last.content;
  return JSON.stringify(last?.content ?? '');
}
