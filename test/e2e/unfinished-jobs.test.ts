import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from '../../dev/fakes/fake-anthropic-api.ts';
import type { Stack } from '../../dev/stack/start-stack.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { sleep } from './support.ts';

const unfinished = /⚠️ I could not finish this answer \(reference `slack-[0-9a-f]+`\)/;

/** The thread under the question's root, root excluded, once a reply says the answer could not be finished. */
const waitForNotice = (stack: Stack, question: string, timeoutMs: number) =>
  stack.slack.waitFor((s) => {
    const root = s.messages().find((m) => m.threadTs === undefined && m.text.startsWith(question));
    const replies = root === undefined ? [] : s.thread(root.channel, root.ts).filter((m) => m.ts !== root.ts);
    return replies.some((m) => unfinished.test(m.text)) ? replies : undefined;
  }, timeoutMs);

describe('a job that can never be finished says so in its thread, once', () => {
  it('stalled more often than maxStalledCount (its workers keep dying): the progress message becomes the notice', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000' } });
    try {
      const reached: (() => void)[] = [];
      const turns = Array.from({ length: 3 }, () => new Promise<void>((resolve) => reached.push(resolve)));
      stack.model.script(
        ...reached.map((resolve) => async () => {
          resolve();
          await sleep(5_000);
          return { content: [text('too late')] };
        }),
      );
      const question = 'why does the worker keep dying?';
      await stack.slashCommand({ text: question });
      // Three workers die in the middle of the answer; the job stalls a third time (maxStalledCount is 2).
      for (const turn of turns) {
        await turn;
        const worker = stack.workers.at(-1);
        worker?.kill('SIGKILL');
        await new Promise((resolve) => worker?.once('exit', resolve));
        stack.spawnWorker();
      }
      const replies = await waitForNotice(stack, question, 45_000);
      await sleep(1_500); // room for a second notice
      const after = await waitForNotice(stack, question, 1_000);
      assert.equal(after.length, 1, `replies: ${after.map((r) => r.text).join(' | ')}`);
      assert.equal(replies.filter((r) => r.text.includes('Working on it')).length, 0, 'the progress message was left behind');
      assert.equal(stack.model.requests.length, 3, 'the failed job was answered after all');
    } finally {
      await stack.stop();
    }
  });

  it('attempts exhausted (the thread refuses posts three times): the notice follows once Slack takes posts again', async () => {
    const stack = await startStack();
    try {
      const question = 'can you post in this thread?';
      // The root goes out; the progress message fails on each of the job's three attempts, then Slack recovers.
      stack.slack.intercept(
        'chat.postMessage',
        (c) => c.body.thread_ts === undefined && String(c.body.text).startsWith(question),
        async () => {
          stack.slack.failNext('chat.postMessage', { error: 'internal_error' }, 3);
          await Promise.resolve();
        },
      );
      await stack.slashCommand({ text: question });
      const replies = await waitForNotice(stack, question, 45_000);
      await sleep(1_500);
      const after = await waitForNotice(stack, question, 1_000);
      assert.equal(after.length, 1, `replies: ${after.map((r) => r.text).join(' | ')}`);
      assert.equal(replies.length, 1);
      assert.equal(stack.model.requests.length, 0);
    } finally {
      await stack.stop();
    }
  });
});
