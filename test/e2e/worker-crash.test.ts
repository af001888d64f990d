import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

describe('a worker killed mid-conversation', () => {
  it('is replaced: another worker retries the job and exactly one answer appears', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000' } });
    try {
      let reachedModel!: () => void;
      const modelCalled = new Promise<void>((resolve) => (reachedModel = resolve));
      stack.model.script(
        // The first worker's model call never returns: it is killed while waiting.
        async () => {
          reachedModel();
          await sleep(60_000);
          return { content: [text('too late')] };
        },
        { content: [toolUse('pods_list', { namespace: 'shop' })] },
        { content: [text('Recovered answer: checkout is crashlooping.')] },
      );
      await stack.slashCommand({ text: 'why is checkout down?' });
      await modelCalled;
      const [first] = stack.workers;
      first?.kill('SIGKILL');
      await new Promise((resolve) => first?.once('exit', resolve));
      // The "working…" message from the first attempt is already in the thread.
      assert.equal(stack.slack.messages().filter((m) => m.text.includes('Working on it')).length, 1);

      stack.spawnWorker();
      const { replies } = await waitForAnswer(stack.slack, 'why is checkout down?', 45_000);
      await sleep(1_000); // room for a duplicate to show up
      const roots = stack.slack.messages().filter((m) => m.text.startsWith('why is checkout down?'));
      assert.equal(roots.length, 1, 'the root message was posted twice');
      assert.equal(replies.length, 1, `expected one answer, got: ${replies.map((r) => r.text).join(' | ')}`);
      assert.match(replies[0]?.text ?? '', /Recovered answer/);
      assert.equal(stack.model.requests.length, 3);
    } finally {
      await stack.stop();
    }
  });
});
