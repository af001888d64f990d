import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHAT_QUEUE } from '../../src/queue/chat-queue.ts';
import { CHECKOUT_CRASH_LINE, CHECKOUT_POD, SECRET_CANARY } from '../../dev/cluster/fixture-names.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import { postToSlackEndpoint, slashCommandBody } from '../../dev/support/slack-requests.ts';
import { SIGNING_SECRET, startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';
import { countJobs } from '../../dev/support/count-jobs.ts';

describe('a /k8s slash command, end to end', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack.stop();
  });

  const jobCount = () => countJobs(stack.redis, stack.prefix, CHAT_QUEUE);

  it('answers in the thread of the root message with real data from the cluster', async () => {
    stack.model.reset();
    stack.slack.reset();
    let secondRequest: MessagesRequest | undefined;
    stack.model.script(
      {
        content: [
          text('Let me look.'),
          toolUse('pods_list', { namespace: 'shop' }),
          toolUse('pod_logs', { namespace: 'shop', name: CHECKOUT_POD, previous: true }),
        ],
      },
      (request) => {
        secondRequest = request;
        return { content: [text('**checkout** is in `CrashLoopBackOff`: it cannot reach payments-db.\n\n- restarts: 7')] };
      },
    );
    const question = 'why is checkout crashing?';
    const response = await stack.slashCommand({ text: question, userId: 'U0ALICE001' });
    assert.equal(response.status, 200);
    const ack = (await response.json()) as { response_type: string; text: string };
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(ack.text, /On it/);

    const { root, replies } = await waitForAnswer(stack.slack, question);
    assert.equal(root.text, `${question} — asked by <@U0ALICE001>`);
    assert.equal(replies.length, 1, `expected one answer, got ${replies.map((r) => r.text).join(' | ')}`);
    const answer = replies[0]?.text ?? '';
    assert.match(answer, /\*checkout\* is in `CrashLoopBackOff`/);
    assert.match(answer, /tools: pods_list, pod_logs/);

    // Both tool results came back in one user message, answering both tool_use ids, with real cluster data.
    assert.ok(secondRequest !== undefined);
    const results = toolResultsOf(secondRequest);
    assert.equal(results.length, 2);
    const [pods, logs] = results;
    assert.match(pods?.text ?? '', new RegExp(`${CHECKOUT_POD}.*CrashLoopBackOff`));
    assert.ok(logs?.text.includes(CHECKOUT_CRASH_LINE), logs?.text);
    assert.deepEqual(stack.model.violations, []);
    // The gateway's request path made no Slack API call: every call came from the worker's replies.
    assert.deepEqual([...new Set(stack.slack.calls.map((c) => c.method))].sort(), ['chat.postMessage', 'chat.update']);
    const everything = JSON.stringify(stack.model.requests) + JSON.stringify(stack.slack.calls);
    assert.ok(!everything.includes(SECRET_CANARY), 'the Secret canary left the MCP server');
  });

  it('asks the model with the tools from the MCP server and the configured model', () => {
    const request = stack.model.requests.at(-1)?.body as { tools?: { name: string }[]; model?: string } | undefined;
    const names = (request?.tools ?? []).map((t) => t.name);
    for (const name of ['cluster_info', 'pods_list', 'pod_logs', 'services_list', 'deployments_list', 'containers_list', 'kubectl']) {
      assert.ok(names.includes(name), `tool ${name} missing from ${names.join(', ')}`);
    }
    assert.equal(request?.model, 'claude-sonnet-4-6');
  });

  it('gives one answer when the same command is delivered twice or retried by Slack', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [toolUse('deployments_list', { namespace: 'shop' })] }, { content: [text('Two deployments.')] });
    const body = slashCommandBody({ text: 'list deployments in shop', triggerId: '111.222.dup-trigger' });
    const deliveries = await Promise.all([
      postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET }),
      postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET }),
      postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET, retryNum: 1 }),
    ]);
    assert.deepEqual(
      deliveries.map((r) => r.status),
      [200, 200, 200],
    );
    const { replies } = await waitForAnswer(stack.slack, 'list deployments in shop');
    await new Promise((r) => setTimeout(r, 500)); // room for a wrong second answer to show up
    assert.equal(stack.slack.messages().filter((m) => m.text.startsWith('list deployments in shop')).length, 1);
    assert.equal(replies.length, 1);
    assert.equal(stack.model.requests.length, 2);
  });

  it('refuses a bad signature or a stale timestamp with 401 and makes no job', async () => {
    const before = await jobCount();
    const body = slashCommandBody({ text: 'forged question' });
    const forged = await postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: SIGNING_SECRET, signature: 'v0=deadbeef' });
    assert.equal(forged.status, 401);
    const wrongSecret = await postToSlackEndpoint({ gatewayUrl: stack.gatewayUrl, body, secret: 'not-the-secret' });
    assert.equal(wrongSecret.status, 401);
    const stale = await postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body,
      secret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    assert.equal(stale.status, 401);
    assert.equal(await jobCount(), before);
  });

  it('answers a malformed body with 4xx and makes no job', async () => {
    const before = await jobCount();
    const response = await postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body: '{"type": "event_callback", ',
      contentType: 'application/json',
      secret: SIGNING_SECRET,
    });
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
    const huge = await postToSlackEndpoint({
      gatewayUrl: stack.gatewayUrl,
      body: slashCommandBody({ text: 'x'.repeat(200_000) }),
      secret: SIGNING_SECRET,
    });
    assert.equal(huge.status, 413);
    assert.equal(await jobCount(), before);
  });

  it('answers an empty /k8s with usage help and an over-long question with a clear refusal', async () => {
    const before = await jobCount();
    const empty = await stack.slashCommand({ text: '   ' });
    assert.match(((await empty.json()) as { text: string }).text, /\/k8s <question>/);
    const long = await stack.slashCommand({ text: 'why '.repeat(600) });
    assert.match(((await long.json()) as { text: string }).text, /limit is 2000/);
    assert.equal(await jobCount(), before);
  });

  it('shows which tools ran in the working message, then replaces it with the answer', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script(
      { content: [toolUse('pods_list', { namespace: 'payments' }), toolUse('kubectl', { command: 'get events -n payments' })] },
      { content: [text('`ledger-0` is Pending: no node fits it.')] },
    );
    await stack.slashCommand({ text: 'why is ledger pending?' });
    const { replies } = await waitForAnswer(stack.slack, 'why is ledger pending?');
    const answer = replies[0];
    assert.equal(replies.length, 1);
    assert.ok(answer !== undefined);
    const firstPost = stack.slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.thread_ts !== undefined);
    assert.match(String(firstPost?.body.text), /Working on it/);
    const texts = answer.edits.map((e) => e.text);
    assert.ok(
      texts.some((t) => /Working on it[\s\S]*`pods_list` payments[\s\S]*`kubectl` get events -n payments/.test(t)),
      texts.join('\n---\n'),
    );
    assert.match(answer.text, /`ledger-0` is Pending/);
  });

  it('posts a long answer as one short message and the whole text as a file in the thread', async () => {
    stack.model.reset();
    stack.slack.reset();
    const paragraphs = Array.from({ length: 40 }, (_, i) =>
      `Finding ${i + 1}: pod checkout restarted because payments-db refused the connection on port 5432. `.repeat(3),
    );
    stack.model.script({ content: [text(paragraphs.join('\n\n'))] });
    await stack.slashCommand({ text: 'give me everything' });
    const { root, replies } = await waitForAnswer(stack.slack, 'give me everything');
    assert.equal(replies.length, 1, `expected one short message, got ${replies.length}`);
    assert.ok((replies[0]?.text.length ?? 0) <= 3_500, `message of ${replies[0]?.text.length} chars`);
    assert.match(replies[0]?.text ?? '', /attached file `answer\.md`/);
    const [file] = stack.slack.files();
    assert.equal(file?.threadTs, root.ts);
    const content = file?.bytes?.toString('utf8') ?? '';
    for (let i = 1; i <= 40; i += 1) assert.ok(content.includes(`Finding ${i}:`), `Finding ${i} lost`);
  });

  it('delivers the answer once when Slack rate-limits a post (Retry-After honoured)', async () => {
    stack.model.reset();
    stack.slack.reset();
    stack.model.script({ content: [text('Rate limits survived.')] });
    stack.slack.failNext('chat.postMessage', { rateLimited: 1 });
    await stack.slashCommand({ text: 'are we rate limited?' });
    const { replies } = await waitForAnswer(stack.slack, 'are we rate limited?');
    assert.equal(replies.length, 1);
    assert.match(replies[0]?.text ?? '', /Rate limits survived/);
    const posts = stack.slack.calls.filter((c) => c.method === 'chat.postMessage');
    assert.equal(posts[0]?.response?.status, 429);
    assert.ok((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0) >= 900, 'Retry-After was not honoured');
    assert.equal(stack.slack.messages().filter((m) => m.text.startsWith('are we rate limited?')).length, 1);
  });
});
