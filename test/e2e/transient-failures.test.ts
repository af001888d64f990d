import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testCluster } from '../../dev/cluster/shared-cluster.ts';
import { text, toolUse, type MessagesRequest } from '../../dev/fakes/fake-anthropic-api.ts';
import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';
import { freePort } from '../../dev/support/free-port.ts';
import { startTcpProxy } from '../../dev/support/tcp-proxy.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';

/** Resolves once the progress message (any edit of any message) has said `pattern`. */
const progressSaid = (slack: FakeSlackApi, pattern: RegExp, timeoutMs = 30_000) =>
  slack.waitFor((s) => s.messages().some((m) => m.edits.some((e) => pattern.test(e.text))), timeoutMs);

/**
 * A restart of the MCP server or the cluster's API server, or a model that stays unavailable for a while,
 * delays the answer instead of failing it: the job waits in the queue or the tool call is repeated, the
 * progress message says so, and the answer comes once the part is back (decision 014).
 */
describe('transient failures are retried with backoff, and the progress message says so', () => {
  it('the MCP server is down when the question arrives, and comes back: answered, no error', async () => {
    const mcpPort = await freePort();
    const stack = await startStack({ withoutMcp: true, mcpPort });
    try {
      stack.model.script(
        { content: [toolUse('pods_list', { namespace: 'shop' })] },
        { content: [text('Shop has 4 pods; checkout is crashlooping.')] },
      );
      await stack.slashCommand({ text: 'what runs in shop?' });
      await progressSaid(stack.slack, /tool server unreachable, retrying in \d+ s/);
      await stack.startMcp();
      const { replies } = await waitForAnswer(stack.slack, 'what runs in shop?', 60_000);
      assert.equal(replies.length, 1);
      assert.match(replies[0]?.text ?? '', /checkout is crashlooping/);
      assert.doesNotMatch(replies[0]?.text ?? '', /⚠️|can't reach/);
    } finally {
      await stack.stop();
    }
  });

  it('the MCP server restarts while a tool call is due: the call is repeated and succeeds', async () => {
    const stack = await startStack();
    try {
      let results: ReturnType<typeof toolResultsOf> = [];
      stack.model.script(
        async () => {
          await stack.stopMcp(); // goes away between the model's answer and the tool call
          return { content: [toolUse('pods_list', { namespace: 'shop' })] };
        },
        (request: MessagesRequest) => {
          results = toolResultsOf(request);
          return { content: [text('Listed the pods of shop.')] };
        },
      );
      await stack.slashCommand({ text: 'list the pods of shop' });
      await progressSaid(stack.slack, /tool server unreachable, retrying in \d+ s/);
      await stack.startMcp();
      const { replies } = await waitForAnswer(stack.slack, 'list the pods of shop', 60_000);
      assert.match(replies[0]?.text ?? '', /Listed the pods of shop/);
      assert.equal(results.length, 1);
      assert.equal(results[0]?.isError, false, `the model got: ${results[0]?.text ?? ''}`);
      assert.match(results[0]?.text ?? '', /checkout/);
    } finally {
      await stack.stop();
    }
  });

  it('the cluster API server goes away and comes back: the read is repeated and succeeds', async () => {
    const cluster = await testCluster();
    const server = new URL(cluster.server);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
    const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-kc-proxy-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, readFileSync(cluster.kubeconfigPath, 'utf8').replace(cluster.server, `https://127.0.0.1:${proxy.port}`), {
      mode: 0o600,
    });
    const stack = await startStack({ kubeconfigPath });
    try {
      let results: ReturnType<typeof toolResultsOf> = [];
      stack.model.script(
        async () => {
          await proxy.close();
          return { content: [toolUse('pods_list', { namespace: 'shop' })] };
        },
        (request: MessagesRequest) => {
          results = toolResultsOf(request);
          return { content: [text('The cluster answered again.')] };
        },
      );
      await stack.slashCommand({ text: 'pods in shop after the restart?' });
      await progressSaid(stack.slack, /cluster API unreachable, retrying in \d+ s/);
      await proxy.open();
      const { replies } = await waitForAnswer(stack.slack, 'pods in shop after the restart?', 60_000);
      assert.match(replies[0]?.text ?? '', /The cluster answered again/);
      assert.equal(results[0]?.isError, false, `the model got: ${results[0]?.text ?? ''}`);
    } finally {
      await stack.stop();
      await proxy.stop();
    }
  });

  it('the model stays rate-limited past the limiter’s retries: the job is re-queued, the progress says so, then answered', async () => {
    // The model limiter retries 429s for MODEL_RETRY_WINDOW_MS (1 s here), then the job is re-queued with a delay.
    const stack = await startStack({ env: { MODEL_RETRY_WINDOW_MS: '1000' } });
    try {
      for (let i = 0; i < 500; i += 1) stack.model.script({ error: { status: 429, retryAfter: 0 } });
      await stack.slashCommand({ text: 'is everything running?' });
      await progressSaid(stack.slack, /Queued behind a rate limit of the AI model; retrying at \d\d:\d\d:\d\d UTC/);
      const refused = stack.model.requests.length;
      assert.ok(refused >= 2, `the limiter retried ${refused} times`);
      // The rate limit lifts: the re-queued job gets the answer.
      stack.model.reset();
      stack.model.script({ content: [text('Everything is running.')] });
      const { replies } = await waitForAnswer(stack.slack, 'is everything running?', 60_000);
      assert.equal(replies.length, 1);
      assert.match(replies[0]?.text ?? '', /Everything is running/);
      assert.doesNotMatch(replies[0]?.text ?? '', /⚠️/);
      assert.equal(stack.model.requests.length, 1, 'one call after the limit lifted');
    } finally {
      await stack.stop();
    }
  });
});
