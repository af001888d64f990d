import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { queueUnavailableText } from '../../adapters/slack/k8s-command-text.ts';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { startRedisServer, type TestRedis } from '../../dev/services/redis-server.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

const answerFor = (question: string) => `Answer to: ${question}`;

/**
 * An ack says "queued" only when the job is in Redis and "nothing was started" only when it never will be
 * (decision 014): with Redis stopped, or not answering, the question must not be answered later behind the
 * user's back (they may have asked again already).
 */
describe('truthful acks: a refused or unconfirmed question is never answered later', () => {
  let redis: TestRedis;
  let stack: Stack;
  before(async () => {
    redis = await startRedisServer({ appendonly: true });
    stack = await startStack({ redisUrl: redis.url });
    // Every question gets an answer naming it, whenever it reaches the model.
    stack.model.script(
      ...Array.from({ length: 10 }, () => (request: { messages: unknown[] }) => {
        const first = request.messages[0] as { content?: unknown };
        return { content: [text(answerFor(typeof first.content === 'string' ? first.content : '?'))] };
      }),
    );
  });
  after(async () => {
    await stack.stop();
    await redis.stop();
  });

  const ack = async (question: string) => {
    const response = await stack.slashCommand({ text: question });
    assert.equal(response.status, 200);
    return ((await response.json()) as { text: string }).text;
  };
  /** Asks until the gateway queues it, as a user told "nothing was started" would (its connection reconnects within seconds). */
  const askUntilQueued = async (question: string) => {
    const deadline = Date.now() + 15_000;
    while ((await ack(question)) === queueUnavailableText) {
      assert.ok(Date.now() < deadline, 'the gateway did not queue again after Redis came back');
      await sleep(500);
    }
  };
  const answered = (question: string) => stack.slack.messages().some((m) => m.text.includes(answerFor(question)));

  it('Redis down: "nothing was started", and after Redis is back the question stays unanswered', async () => {
    await redis.kill();
    const refused = 'what failed overnight in shop?';
    const started = Date.now();
    assert.equal(await ack(refused), queueUnavailableText);
    assert.ok(Date.now() - started < 2_500, 'the ack must come inside Slack’s 3 s');
    await redis.restart();
    // A question after the outage is answered: the pipeline works, so silence about the first one means something.
    const later = 'is the cluster fine again?';
    await askUntilQueued(later);
    await waitForAnswer(stack.slack, later, 30_000);
    await sleep(3_000);
    assert.equal(answered(refused), false, 'the user was told nothing was started, and then got an answer');
  });

  it('Redis not answering: the ack does not claim "nothing was started" unless the question is then never answered', async () => {
    const admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      // Every client waits (the gateway's add is sent but gets no reply before the gateway must ack).
      await admin.call('CLIENT', 'PAUSE', '4000', 'ALL');
      const unconfirmed = 'why is payments slow?';
      const said = await ack(unconfirmed);
      await sleep(4_000); // the pause ends; whatever was sent runs now
      const later = 'and is checkout slow too?';
      await askUntilQueued(later);
      await waitForAnswer(stack.slack, later, 30_000);
      await sleep(3_000);
      if (said === queueUnavailableText) assert.equal(answered(unconfirmed), false, 'told "nothing was started", then answered');
      assert.match(said, /could not confirm/, `the ack was: ${said}`);
      // The gateway cancelled the unconfirmed job before any worker started it: it is never answered.
      assert.equal(answered(unconfirmed), false);
    } finally {
      admin.disconnect();
    }
  });
});
