import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAX_QUESTION_CHARS } from '../../src/chat/question-notice.ts';
import { eventCallbackBody, postToSlackEndpoint } from '../../dev/support/slack-requests.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';

const BOT = 'U0FAKEBOT1';
const CHANNEL = 'C0SHOP0001';
const ALICE = 'U0ALICE001';

let tsCounter = 0;
const newTs = () => `1700000300.${String(randomInt(100_000)).padStart(5, '0')}${(tsCounter += 1) % 10}`;

describe('Slack usage help: /k8s help and an empty mention answer with usage and examples', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const send = (event: Record<string, unknown>) =>
    postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body: eventCallbackBody({ event }),
      contentType: 'application/json',
      secret: SIGNING_SECRET,
    });
  /** The bot's one reply in the thread of `ts`, once it is there. */
  const replyIn = (channel: string, ts: string) => stack.slack.waitFor((s) => s.thread(channel, ts).filter((m) => m.ts !== ts)[0], 20_000);

  it('/k8s help answers with usage and examples, ephemeral, without a job or a model call', async () => {
    for (const text of ['help', 'HELP', '']) {
      const response = await stack.slashCommand({ text });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { response_type: string; text: string };
      assert.equal(body.response_type, 'ephemeral');
      assert.match(body.text, /\/k8s <question>/);
      assert.match(body.text, /Examples:[\s\S]*`\/k8s why is checkout crashlooping in shop\?`/);
    }
    assert.equal(stack.model.requests.length, 0);
    assert.deepEqual(stack.slack.messages(), []);
  });

  it('an empty mention answers with usage in its thread (from the worker; the gateway makes no Slack call)', async () => {
    stack.slack.reset();
    stack.model.reset();
    const ts = newTs();
    assert.equal((await send({ type: 'app_mention', user: ALICE, text: `<@${BOT}>   `, ts, channel: CHANNEL })).status, 200);
    const reply = await replyIn(CHANNEL, ts);
    assert.match(reply.text, /Ask your cluster a question/);
    assert.match(reply.text, /Examples:/);
    assert.match(reply.text, /why is checkout crashlooping in shop\?/);
    assert.equal(stack.model.requests.length, 0, 'no model call for usage');
    await sleep(300);
    assert.equal(stack.slack.thread(CHANNEL, ts).length, 1, 'one reply, no "Working on it" left behind');
    assert.deepEqual(
      stack.slack.calls.map((c) => c.method),
      ['chat.postMessage'],
      'one post from the worker, nothing else',
    );
  });

  it('"help" in a direct message answers with usage too', async () => {
    stack.slack.reset();
    const ts = newTs();
    await send({ type: 'message', channel_type: 'im', channel: 'D0ALICE001', user: ALICE, text: 'help', ts });
    const reply = await replyIn('D0ALICE001', ts);
    assert.match(reply.text, /Ask your cluster a question/);
    assert.equal(stack.model.requests.length, 0);
  });

  it('a mention over the length limit gets a clear refusal in its thread instead of silence', async () => {
    stack.slack.reset();
    const ts = newTs();
    const question = 'why '.repeat(MAX_QUESTION_CHARS / 2);
    await send({ type: 'app_mention', user: ALICE, text: `<@${BOT}> ${question}`, ts, channel: CHANNEL });
    const reply = await replyIn(CHANNEL, ts);
    assert.match(reply.text, new RegExp(`the limit is ${MAX_QUESTION_CHARS}`));
    assert.equal(stack.model.requests.length, 0);
  });
});
