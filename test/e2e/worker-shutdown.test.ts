import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

const SHUTDOWN_TIMEOUT_MS = 8_000;

describe('a worker stopped with SIGTERM during a long model turn', () => {
  it('aborts the turn, exits cleanly within SHUTDOWN_TIMEOUT_MS, and another worker answers the question once', async () => {
    // JOB_LOCK_MS stays at its 30 s default: an answer within seconds means the job was handed back, not found stalled.
    const stack = await startStack({ workerProcesses: 1, env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    try {
      let reachedModel!: () => void;
      const modelCalled = new Promise<void>((resolve) => (reachedModel = resolve));
      stack.model.script(
        async () => {
          reachedModel();
          await sleep(12_000); // a slow turn, longer than SHUTDOWN_TIMEOUT_MS: the worker must not wait for it
          return { content: [text('too late')] };
        },
        { content: [text('Answered by the second worker.')] },
      );
      await stack.slashCommand({ text: 'why did the nightly job fail?' });
      await modelCalled;
      const [first] = stack.workers;
      assert.ok(first !== undefined);
      const stopped = Date.now();
      const exit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
      first.kill('SIGTERM');
      const code = await exit;
      const tookMs = Date.now() - stopped;
      assert.equal(code, 0, 'the worker did not shut down cleanly (code 1: the shutdown timed out)');
      assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS, `shutdown took ${tookMs} ms`);

      const handedBack = Date.now();
      stack.spawnWorker();
      const { root, replies } = await waitForAnswer(stack.slack, 'why did the nightly job fail?', 25_000);
      assert.ok(Date.now() - handedBack < 20_000, 'the job waited for stall detection instead of being handed back');
      await sleep(1_000);
      assert.equal(
        stack.slack.messages().filter((m) => m.threadTs === undefined && m.text.startsWith('why did the nightly job fail?')).length,
        1,
      );
      assert.equal(replies.length, 1, `replies: ${replies.map((r) => r.text).join(' | ')}`);
      assert.match(replies[0]?.text ?? '', /Answered by the second worker/);
      assert.equal(stack.slack.thread(root.channel, root.ts).filter((m) => m.text.includes('too late')).length, 0);
    } finally {
      await stack.stop();
    }
  });
  it('a chat call that does not answer (Slack away, its client retrying for a minute) does not hold the shutdown; the question is answered once', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    const question = 'why is the ingress returning 502?';
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    try {
      let reachedSlack!: () => void;
      const rootPosting = new Promise<void>((resolve) => (reachedSlack = resolve));
      // Slack takes the root post and does not answer until the first worker is gone; then it posts it after all.
      stack.slack.intercept(
        'chat.postMessage',
        (c) => c.body.thread_ts === undefined && String(c.body.text).startsWith(question),
        async () => {
          reachedSlack();
          await released;
        },
      );
      stack.model.script({ content: [text('Answered after the restart.')] });
      await stack.slashCommand({ text: question });
      await rootPosting;
      const [first] = stack.workers;
      assert.ok(first !== undefined);
      const stopped = Date.now();
      const exit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
      first.kill('SIGTERM');
      const code = await exit;
      const tookMs = Date.now() - stopped;
      assert.equal(code, 0, 'the worker did not shut down cleanly (code 1: the shutdown timed out waiting for Slack)');
      assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS, `shutdown took ${tookMs} ms`);

      release(); // the root the first worker never learned the id of is posted now
      stack.spawnWorker();
      // No time bound here (the first case has it): a worker process can take tens of seconds to start on a loaded machine.
      const { root, replies } = await waitForAnswer(stack.slack, question, 90_000);
      await sleep(1_000);
      assert.equal(
        stack.slack.messages().filter((m) => m.threadTs === undefined && m.text.startsWith(question)).length,
        1,
        'a second root was posted',
      );
      assert.equal(replies.length, 1, `replies: ${replies.map((r) => r.text).join(' | ')}`);
      assert.match(replies[0]?.text ?? '', /Answered after the restart/);
      assert.equal(stack.slack.thread(root.channel, root.ts).filter((m) => m.text.includes('Working on it')).length, 0);
    } finally {
      release();
      await stack.stop();
    }
  });
});
