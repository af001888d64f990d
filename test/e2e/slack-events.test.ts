import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { CHECKOUT_CRASH_LINE, CHECKOUT_POD } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../../dev/support/slack-requests.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, toolResultsOf, waitForAnswer, waitForThreadAnswers } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

const BOT = 'U0FAKEBOT1'; // the fake Slack's auth.test user_id, fetched once when the gateway starts
const CHANNEL = 'C0SHOP0001';
const ALICE = 'U0ALICE001';

let tsCounter = 0;
/** A fresh Slack message ts ("seconds.micros"), distinct from the ones the fake Slack hands out. */
const newTs = () => `1700000000.${String(randomInt(100_000)).padStart(5, '0')}${(tsCounter += 1) % 10}`;

/** Everything the model was sent in one request, flattened to text, to check what it could see. */
const seen = (request: MessagesRequest) => JSON.stringify(request.messages);

describe('Slack mentions, DMs and thread follow-ups, end to end', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const send = (event: Record<string, unknown>, options: { retryNum?: number; eventId?: string } = {}) =>
    postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body: eventCallbackBody({ event, eventId: options.eventId }),
      contentType: 'application/json',
      secret: SIGNING_SECRET,
      retryNum: options.retryNum,
    });
  const mention = (ts: string, question: string, extra: Record<string, unknown> = {}) => ({
    type: 'app_mention',
    user: ALICE,
    text: `<@${BOT}> ${question}`,
    ts,
    channel: CHANNEL,
    ...extra,
  });
  const threadMessage = (threadTs: string, question: string, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    channel_type: 'channel',
    user: ALICE,
    text: question,
    ts: newTs(),
    thread_ts: threadTs,
    channel: CHANNEL,
    ...extra,
  });
  const jobCount = () => countJobs(stack.redis, stack.prefix, CHAT_QUEUE);

  it('answers the url_verification challenge', async () => {
    const body = JSON.stringify({ token: 'deprecated', challenge: 'chal-3f9a', type: 'url_verification' });
    const response = await postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body,
      contentType: 'application/json',
      secret: SIGNING_SECRET,
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /chal-3f9a/);
  });

  let threadTs = '';
  it('answers a mention in its thread, and follow-ups there (no mention) continue the conversation', async () => {
    stack.model.reset();
    stack.slack.reset();
    threadTs = newTs();
    const requests: MessagesRequest[] = [];
    const keep = (request: MessagesRequest) => requests.push(request);
    stack.model.script(
      (r) => (keep(r), { content: [toolUse('pods_list', { namespace: 'shop' })] }),
      (r) => (keep(r), { content: [text(`\`${CHECKOUT_POD}\` in shop is in CrashLoopBackOff.`)] }),
      // Turn 2 only makes sense with turn 1's findings: "that pod" is the one from the first tool result.
      (r) => (keep(r), { content: [toolUse('pod_logs', { namespace: 'shop', name: CHECKOUT_POD, previous: true })] }),
      (r) => (keep(r), { content: [text('It panics: it cannot reach payments-db on 10.0.3.7:5432.')] }),
      (r) => (keep(r), { content: [text(`Yes: \`${CHECKOUT_POD}\` restarts because payments-db refuses connections.`)] }),
    );

    const first = await send(mention(threadTs, 'which pod is crashing in shop?'));
    assert.equal(first.status, 200);
    const [answer1] = await waitForThreadAnswers(stack.slack, CHANNEL, threadTs, 1);
    assert.match(answer1?.text ?? '', /CrashLoopBackOff/);
    assert.deepEqual(
      stack.slack.messages().filter((m) => m.threadTs === undefined),
      [],
      'no new root message for a mention',
    );
    assert.deepEqual(requests[0]?.messages, [{ role: 'user', content: 'which pod is crashing in shop?' }], 'the mention is stripped');

    await send(threadMessage(threadTs, 'show me the last crash log of that pod'));
    await waitForThreadAnswers(stack.slack, CHANNEL, threadTs, 2);
    const second = requests[2];
    assert.ok(second !== undefined);
    const secondSaw = seen(second);
    assert.ok(secondSaw.includes('which pod is crashing in shop?'), 'the first question');
    assert.match(secondSaw, new RegExp(`${CHECKOUT_POD}.*CrashLoopBackOff`), 'the first tool result');
    assert.ok(secondSaw.includes('in shop is in CrashLoopBackOff.'), 'the first answer');

    await send(threadMessage(threadTs, 'so is it the database?'));
    const replies = await waitForThreadAnswers(stack.slack, CHANNEL, threadTs, 3);
    assert.equal(replies.length, 3);
    assert.match(replies[2]?.text ?? '', /payments-db refuses connections/);
    const third = requests[4];
    assert.ok(third !== undefined);
    const thirdSaw = seen(third);
    assert.ok(thirdSaw.includes(CHECKOUT_CRASH_LINE), 'the second tool result (the crash line)');
    assert.ok(thirdSaw.includes('which pod is crashing in shop?') && thirdSaw.includes('show me the last crash log of that pod'));
    assert.equal(third.messages.length, 9, 'q1, tool_use, result, a1, q2, tool_use, result, a2, q3');
    assert.deepEqual(stack.model.violations, [], 'every request kept tool_use/tool_result pairing');
    assert.equal(stack.slack.calls.filter((c) => c.method === 'auth.test').length, 0, 'no Slack API call per request');
  });

  it('makes one answer of an app_mention and a message event for the same message, and of Slack retries', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [text('Still CrashLoopBackOff.')] });
    const ts = newTs();
    const inThread = mention(ts, 'is it still crashing?', { thread_ts: threadTs });
    const sameAsMessage = { ...inThread, type: 'message', channel_type: 'channel' };
    const deliveries = await Promise.all([
      send(inThread, { eventId: 'EvMENTION01' }),
      send(sameAsMessage, { eventId: 'EvMESSAGE01' }),
      send(inThread, { eventId: 'EvMENTION01', retryNum: 1 }),
    ]);
    assert.deepEqual(
      deliveries.map((r) => r.status),
      [200, 200, 200],
    );
    await waitForThreadAnswers(stack.slack, CHANNEL, threadTs, 1);
    await sleep(500); // room for a wrong second answer to show up
    assert.equal(stack.slack.thread(CHANNEL, threadTs).length, 1);
    assert.equal(stack.model.requests.length, 1);
    assert.equal(seen(stack.model.requests[0]?.body as MessagesRequest).match(/is it still crashing\?/g)?.length, 1);
  });

  it('answers a direct message in its thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [text('Three namespaces.')] });
    const ts = newTs();
    await send({ type: 'message', channel_type: 'im', channel: 'D0ALICE001', user: ALICE, text: 'how many namespaces?', ts });
    const [answer] = await waitForThreadAnswers(stack.slack, 'D0ALICE001', ts, 1);
    assert.match(answer?.text ?? '', /Three namespaces/);
    assert.equal(stack.slack.messages().filter((m) => m.threadTs === undefined).length, 0);
  });

  it('ignores threads it is not in, its own messages, bots and edits: no job', async () => {
    const before = await jobCount();
    const ignored = [
      threadMessage(newTs(), 'a thread the bot never joined'),
      { type: 'message', channel_type: 'channel', user: ALICE, text: 'plain channel chatter', ts: newTs(), channel: CHANNEL },
      threadMessage(threadTs, 'the bot itself', { user: BOT }),
      threadMessage(threadTs, 'another bot', { user: 'U0OTHERBOT', bot_id: 'B0OTHER001' }),
      threadMessage(threadTs, 'edited', { subtype: 'message_changed' }),
      threadMessage(threadTs, 'joined', { subtype: 'channel_join' }),
    ];
    for (const event of ignored) assert.equal((await send(event)).status, 200);
    assert.equal(await jobCount(), before);
  });

  it('continues a /k8s conversation from a follow-up in its thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('pods_list', { namespace: 'payments' })] },
      { content: [text('`ledger-0` is Pending: no node fits it.')] },
      { content: [text('Because of the FailedScheduling event on ledger-0.')] },
    );
    await stack.slashCommand({ text: 'why is ledger pending?', userId: ALICE });
    const { root } = await waitForAnswer(stack.slack, 'why is ledger pending?');
    await send(threadMessage(root.ts, 'why does no node fit?', { channel: root.channel }));
    const replies = await waitForThreadAnswers(stack.slack, root.channel, root.ts, 2);
    assert.match(replies[1]?.text ?? '', /FailedScheduling/);
    const followUp = stack.model.requests[2]?.body as MessagesRequest;
    const saw = seen(followUp);
    assert.ok(saw.includes('why is ledger pending?') && saw.includes('no node fits it'), saw);
    assert.equal(toolResultsOf({ messages: followUp.messages.slice(0, 3) }).length, 1, 'the /k8s tool result');
    assert.deepEqual(stack.model.violations, []);
  });
});
