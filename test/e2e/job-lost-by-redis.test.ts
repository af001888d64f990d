import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { redisKeys } from '../../src/queue/redis-keys.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

describe('a Redis restarted without its last writes lost a job a worker had started', () => {
  it('the worker holding it finishes the answer: one root, one answer, no orphaned progress message', async () => {
    // Locks renewed every second, so a renewal fails while the model turn is held.
    const stack = await startStack({ env: { JOB_LOCK_MS: '2000' } });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    try {
      let reachedModel!: () => void;
      const modelCalled = new Promise<void>((resolve) => (reachedModel = resolve));
      stack.model.script(async () => {
        reachedModel();
        await released;
        return { content: [text('Answered although Redis lost the job.')] };
      });
      const question = 'why is the payment service slow?';
      await stack.slashCommand({ text: question });
      await modelCalled;

      // What a Redis killed before its append-only file held the last second of writes comes back without: the job
      // (its hash, its lock, its place in the active list) and the reply state the worker recorded for it.
      const { queuePrefix, replyState } = redisKeys(stack.prefix);
      const active = `${queuePrefix}:${CHAT_QUEUE}:active`;
      const [jobId] = await stack.redis.lrange(active, 0, -1);
      assert.ok(jobId !== undefined, 'the job is active');
      const jobKeys = [
        `${queuePrefix}:${CHAT_QUEUE}:${jobId}`,
        `${queuePrefix}:${CHAT_QUEUE}:${jobId}:lock`,
        `${queuePrefix}:${CHAT_QUEUE}:${jobId}:logs`,
        replyState(jobId),
      ];
      for (const key of jobKeys) await stack.redis.del(key);
      await stack.redis.lrem(active, 0, jobId);
      await stack.redis.srem(`${queuePrefix}:${CHAT_QUEUE}:stalled`, jobId);

      await sleep(2_500); // at least one lock renewal fails meanwhile
      release();
      const { root, replies } = await waitForAnswer(stack.slack, question, 20_000);
      await sleep(1_000); // room for a duplicate
      assert.equal(stack.slack.messages().filter((m) => m.threadTs === undefined && m.text.startsWith(question)).length, 1);
      assert.equal(replies.length, 1, `replies: ${replies.map((r) => r.text).join(' | ')}`);
      assert.match(replies[0]?.text ?? '', /Answered although Redis lost the job/);
      assert.equal(stack.slack.thread(root.channel, root.ts).filter((m) => m.text.includes('Working on it')).length, 0);
    } finally {
      release();
      await stack.stop();
    }
  });
});
