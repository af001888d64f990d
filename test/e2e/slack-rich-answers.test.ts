import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHECKOUT_POD, SHOP_NAMESPACE } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackMessage } from '../../dev/fakes/fake-slack-api.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { sleep, waitForAnswer } from './support.ts';

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };
const blocksOf = (message: FakeSlackMessage | undefined) => (message?.blocks ?? []) as Block[];
const contextOf = (message: FakeSlackMessage | undefined) =>
  (blocksOf(message).find((b) => b.type === 'context')?.elements ?? []).map((e) => e.text).join(' | ');

describe('Slack answers in Block Kit, long output as a file, through the real gateway and worker', () => {
  let stack: Stack;
  let cluster: string;
  before(async () => {
    stack = await startStack();
    // The worker names the cluster after the MCP server's kube context and its cluster, not the server's host:port.
    cluster = 'admin (ai4k8s-test)';
  });
  after(async () => {
    await stack.stop();
  });

  it('answers with a header, findings and a context line naming cluster, namespace, tools and tokens, plus a text fallback', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })], usage: { input_tokens: 1_000, output_tokens: 100 } },
      {
        content: [text('## checkout is crash-looping\n\nThe pod restarts because it **cannot reach** `payments-db`.')],
        usage: { input_tokens: 1_500, output_tokens: 250 },
      },
    );
    const question = 'why is checkout crashing? (rich)';
    await stack.slashCommand({ text: question, userId: 'U0RICH0001' });
    const { replies } = await waitForAnswer(stack.slack, question);
    assert.equal(replies.length, 1);
    const answer = replies[0];
    const blocks = blocksOf(answer);
    assert.equal(blocks[0]?.type, 'header');
    assert.equal(blocks[0]?.text?.text, 'checkout is crash-looping');
    assert.match(blocks.find((b) => b.type === 'section')?.text?.text ?? '', /\*cannot reach\* `payments-db`/);
    const context = contextOf(answer);
    assert.match(context, new RegExp(`cluster \`${cluster.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
    assert.match(context, /namespace `shop`/);
    assert.match(context, /tools `pods_list`/);
    assert.match(context, /2 steps · 2,850 tokens/);
    // The text fallback carries the whole answer and the same facts.
    assert.match(answer?.text ?? '', /^\*checkout is crash-looping\*\n\nThe pod restarts because it \*cannot reach\* `payments-db`\./);
    assert.match(answer?.text ?? '', /_cluster: admin \(ai4k8s-test\) · namespace: shop · tools: pods_list · 2 steps · 2,850 tokens_$/);
    // The tool really ran against the cluster: its result named the fixture pod.
    assert.ok(JSON.stringify(stack.model.requests[1]?.body).includes(CHECKOUT_POD));
    assert.equal(stack.slack.files().length, 0, 'a short answer needs no file');
  });

  it('waits out a 429 on the answer edit (Retry-After) and delivers the answer once', async () => {
    stack.model.reset();
    stack.slack.reset();
    // No tool call, so no progress edit: the first chat.update is the answer replacing "Working…".
    stack.model.script({ content: [text('## Quiet cluster\n\nNothing is failing.')] });
    stack.slack.failNext('chat.update', { rateLimited: 1 });
    const question = 'anything failing? (429)';
    await stack.slashCommand({ text: question });
    const { replies } = await waitForAnswer(stack.slack, question);
    assert.equal(replies.length, 1);
    assert.equal(blocksOf(replies[0])[0]?.text?.text, 'Quiet cluster');
    const updates = stack.slack.calls.filter((c) => c.method === 'chat.update');
    assert.deepEqual(
      updates.map((c) => c.response?.status),
      [429, 200],
    );
    assert.ok((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0) >= 900, 'Retry-After was not honoured');
    assert.equal(replies[0]?.edits.length, 1);
  });

  const longListing = Array.from({ length: 300 }, (_, i) => `checkout-${String(i).padStart(3, '0')}   1/1   Running   0   ${i}m`).join(
    '\n',
  );
  const longAnswer = `## 300 pods in shop\n\nAll of them are running:\n\n\`\`\`\n${longListing}\n\`\`\`\n\nNothing needs attention.`;

  it('posts a long answer as a short message plus the full text as a file in the same thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })] }, { content: [text(longAnswer)] });
    const question = 'list every pod in shop (long)';
    await stack.slashCommand({ text: question });
    const { root, replies } = await waitForAnswer(stack.slack, question);
    assert.equal(replies.length, 1, 'the long answer was split into several messages');
    const answer = replies[0];
    assert.ok((answer?.text.length ?? 0) < 4_000, `the short message has ${answer?.text.length} characters`);
    assert.match(answer?.text ?? '', /checkout-011/);
    assert.doesNotMatch(answer?.text ?? '', /checkout-299/);
    assert.match(answer?.text ?? '', /full answer is in the attached file `answer\.md`/);
    assert.equal(blocksOf(answer)[0]?.text?.text, '300 pods in shop');

    const files = stack.slack.files();
    assert.equal(files.length, 1);
    const file = files[0];
    assert.equal(file?.channel, root.channel);
    assert.equal(file?.threadTs, root.ts);
    assert.equal(file?.filename, 'answer.md');
    assert.equal(file?.title, '300 pods in shop');
    assert.equal(file?.bytes?.length, file?.length);
    const content = file?.bytes?.toString('utf8') ?? '';
    assert.ok(content.includes(longListing), 'the file does not hold the full listing');
    assert.match(content, /Nothing needs attention\./);
    // The file was shared before the answer replaced "Working…", so the message can point at it.
    const completed = stack.slack.calls.findIndex((c) => c.method === 'files.completeUploadExternal');
    const answered = stack.slack.calls.findIndex((c) => c.method === 'chat.update' && c.body.blocks !== undefined);
    assert.ok(completed >= 0 && completed < answered);
  });

  it('a job retried after the upload (the answer edit failed) does not upload twice', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })] },
      async () => {
        // The first attempt's progress edit is done; the next chat.update is the answer, and it fails.
        await stack.slack.waitFor((s) => s.calls.some((c) => c.method === 'chat.update'));
        stack.slack.failNext('chat.update', { error: 'internal_error' });
        return { content: [text(longAnswer)] };
      },
      // The retry asks the model again.
      { content: [toolUse('pods_list', { namespace: SHOP_NAMESPACE })] },
      { content: [text(longAnswer)] },
    );
    const question = 'list every pod in shop (retry)';
    await stack.slashCommand({ text: question });
    const { replies } = await waitForAnswer(stack.slack, question, 30_000);
    await sleep(500); // room for a second upload to show up
    const failed = stack.slack.calls.filter((c) => c.method === 'chat.update' && c.response?.body.error === 'internal_error');
    assert.equal(failed.length, 1, 'the answer edit never failed, so nothing was retried');
    assert.equal(stack.model.requests.length, 4, 'the job was not retried');
    assert.equal(stack.slack.calls.filter((c) => c.method === 'files.getUploadURLExternal').length, 1);
    assert.equal(stack.slack.files().length, 1);
    assert.equal(replies.length, 1);
    assert.match(replies[0]?.text ?? '', /attached file/);
  });
});
