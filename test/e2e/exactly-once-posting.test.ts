import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import type { SlackCall } from '../../dev/fakes/fake-slack-api.ts';
import { uniqueName } from '../../dev/services/shared.ts';
import { createOwnDeployment } from '../../dev/stack/approval-clicks.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

/**
 * A worker killed after the chat platform took a post but before the worker recorded it (the request is in
 * flight when the kill lands, so Slack stores the message and the worker never learns its id). Its retry on
 * another worker must find the post instead of posting again (decision 014).
 */
function killDuringPost(stack: Stack, method: string, matches: (call: SlackCall) => boolean): { killed: Promise<void> } {
  const [first] = stack.workers;
  assert.ok(first !== undefined);
  let resolveKilled!: () => void;
  const killed = new Promise<void>((resolve) => (resolveKilled = resolve));
  stack.slack.intercept(method, matches, async () => {
    await killNow(first);
    resolveKilled();
  });
  return { killed };
}

async function killNow(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Waits for the answer text itself, wherever it lands, so a duplicate root or an orphan fails an assertion, not a wait. */
const answerShown = (stack: Stack, pattern: RegExp) => () =>
  stack.slack.waitFor((s) => s.messages().find((m) => pattern.test(m.text)), 45_000);

const repliesUnder = (stack: Stack, question: string) =>
  roots(stack, question).flatMap((root) => stack.slack.thread(root.channel, root.ts).filter((m) => m.ts !== root.ts));

const roots = (stack: Stack, question: string) =>
  stack.slack.messages().filter((m) => m.threadTs === undefined && m.text.startsWith(question));

/** Runs the question with the first worker killed at the intercepted post, then a second worker that must finish it. */
async function answeredAfterKill<T>(
  stack: Stack,
  question: string,
  method: string,
  matches: (call: SlackCall) => boolean,
  answered: () => Promise<T>,
): Promise<T> {
  const { killed } = killDuringPost(stack, method, matches);
  const response = await stack.slashCommand({ text: question });
  assert.equal(response.status, 200);
  await killed;
  stack.spawnWorker();
  const answer = await answered();
  await sleep(1_500); // room for a duplicate to show up
  return answer;
}

describe('exactly-once posting: a retry finds what a killed attempt posted', () => {
  it('the root message: one root, one answer', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000' } });
    try {
      stack.model.script({ content: [text('Checkout looks healthy.')] });
      const question = 'is checkout healthy after the deploy?';
      await answeredAfterKill(
        stack,
        question,
        'chat.postMessage',
        (c) => c.body.thread_ts === undefined && String(c.body.text).startsWith(question),
        answerShown(stack, /Checkout looks healthy/),
      );
      assert.equal(roots(stack, question).length, 1, 'the root message was posted twice');
      const replies = repliesUnder(stack, question);
      assert.equal(replies.length, 1, `replies: ${replies.map((r) => r.text).join(' | ')}`);
      assert.match(replies[0]?.text ?? '', /Checkout looks healthy/);
    } finally {
      await stack.stop();
    }
  });

  it('the progress message: no orphaned "Working on it…", one answer', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000' } });
    try {
      stack.model.script({ content: [text('Payments is fine.')] });
      const question = 'is payments fine right now?';
      await answeredAfterKill(
        stack,
        question,
        'chat.postMessage',
        (c) => c.body.thread_ts !== undefined && String(c.body.text).includes('Working on it'),
        answerShown(stack, /Payments is fine/),
      );
      assert.equal(roots(stack, question).length, 1);
      const replies = repliesUnder(stack, question);
      assert.equal(replies.filter((r) => r.text.includes('Working on it')).length, 0, 'an orphaned progress message is left');
      assert.equal(replies.length, 1, `replies: ${replies.map((r) => r.text).join(' | ')}`);
    } finally {
      await stack.stop();
    }
  });

  it('the answer file: shared once although the kill came while Slack shared it', async () => {
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000' } });
    try {
      const listing = Array.from({ length: 120 }, (_, i) => `pod-${i}   Running`).join('\n');
      const long = { content: [text(`## 120 pods\n\n\`\`\`\n${listing}\n\`\`\``)] };
      stack.model.script(long, long);
      const question = 'list every pod in shop please';
      const { root } = await answeredAfterKill(
        stack,
        question,
        'files.completeUploadExternal',
        () => true,
        () => waitForAnswer(stack.slack, question, 45_000),
      );
      const files = stack.slack.files().filter((f) => f.threadTs === root.ts && f.completedAt !== undefined);
      assert.equal(files.length, 1, `the answer file was shared ${files.length} times`);
      assert.equal(roots(stack, question).length, 1);
    } finally {
      await stack.stop();
    }
  });

  it('the approval card: one card for the same action', async () => {
    const namespace = uniqueName('once-card');
    await createOwnDeployment({ namespace, name: 'web' });
    const stack = await startStack({ workerProcesses: 1, env: { JOB_LOCK_MS: '2000', MCP_ENABLE_WRITE_TOOLS: 'true' } });
    try {
      const scale = toolUse('deployment_scale', { namespace, name: 'web', replicas: 4 });
      // The first attempt dies while the card is posted; the retry asks the model again, which asks for the same write.
      stack.model.script({ content: [scale] }, { content: [scale] }, { content: [text('The change waits for a human approval.')] });
      const question = 'scale web to 4 replicas';
      const isCard = (c: SlackCall) => JSON.stringify(c.body.blocks ?? '').includes('ai4k8s_approval');
      const waitsForApproval = () =>
        stack.slack.waitFor((s) => {
          const [root] = roots(stack, question);
          const replies = root === undefined ? [] : s.thread(root.channel, root.ts).filter((m) => m.ts !== root.ts);
          return root !== undefined && replies.some((r) => r.text.includes('waits for a human approval')) ? { root, replies } : undefined;
        }, 45_000);
      await answeredAfterKill(stack, question, 'chat.postMessage', isCard, waitsForApproval);
      const [root] = roots(stack, question);
      assert.ok(root !== undefined);
      const replies = stack.slack.thread(root.channel, root.ts);
      const cards = replies.filter((r) => JSON.stringify(r.blocks ?? '').includes('ai4k8s_approval'));
      assert.equal(cards.length, 1, `${cards.length} approval cards for one action`);
    } finally {
      await stack.stop();
    }
  });
});
