import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { startStack } from '../../dev/stack/start-stack.ts';
import { toolResultsOf, waitForAnswer } from './support.ts';

function unreachableKubeconfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-kc-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: gone, context: {cluster: gone, user: u}}]',
      'current-context: gone',
    ].join('\n'),
  );
  return path;
}

describe('failures end in a clear message in the thread', () => {
  it('MCP server down: a clear message, no stack trace, no silence', async () => {
    // Retries are spent at once (a window shorter than the first backoff): the clear message comes now.
    const stack = await startStack({ withoutMcp: true, env: { RETRY_WINDOW_SECONDS: '1' } });
    try {
      await stack.slashCommand({ text: 'what pods are failing?' });
      const { replies } = await waitForAnswer(stack.slack, 'what pods are failing?');
      assert.equal(replies.length, 1);
      assert.match(replies[0]?.text ?? '', /can't reach the ai4k8s tool server \(MCP\)/);
      assert.doesNotMatch(replies[0]?.text ?? '', /at \w+ \(|Error:/);
      assert.equal(stack.model.requests.length, 0, 'the model should not be asked without tools');
    } finally {
      await stack.stop();
    }
  });

  it('cluster down: the model gets a clear tool error and the thread gets its answer', async () => {
    // A cluster that never comes back: the tool call is repeated within the (here one-second) window, then the
    // model gets the error.
    const stack = await startStack({ kubeconfigPath: unreachableKubeconfig(), env: { RETRY_WINDOW_SECONDS: '1' } });
    try {
      let results: ReturnType<typeof toolResultsOf> = [];
      stack.model.script({ content: [toolUse('pods_list', { namespace: 'shop' })] }, (request) => {
        results = toolResultsOf(request);
        return { content: [text('I cannot reach the Kubernetes API right now.')] };
      });
      await stack.slashCommand({ text: 'list pods in shop' });
      const { replies } = await waitForAnswer(stack.slack, 'list pods in shop');
      assert.match(replies[0]?.text ?? '', /cannot reach the Kubernetes API/);
      assert.equal(results.length, 1);
      assert.equal(results[0]?.isError, true);
      assert.match(results[0]?.text ?? '', /the Kubernetes API did not answer \(connection refused/);
      assert.doesNotMatch(results[0]?.text ?? '', /127\.0\.0\.1:\d+/, 'the API server URL reached the model');
      assert.doesNotMatch(results[0]?.text ?? '', /\n\s+at /, 'a stack trace reached the model');
    } finally {
      await stack.stop();
    }
  });

  it('model 429/529: retried with backoff, then answered', async () => {
    const stack = await startStack();
    try {
      stack.model.script({ error: { status: 429, retryAfter: 1 } }, { error: { status: 529 } }, { content: [text('All good.')] });
      await stack.slashCommand({ text: 'is the cluster ok?' });
      const { replies } = await waitForAnswer(stack.slack, 'is the cluster ok?');
      assert.match(replies[0]?.text ?? '', /All good\./);
      const times = stack.model.requests.map((r) => r.at);
      assert.equal(times.length, 3);
      assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 900, 'Retry-After was not honoured');
    } finally {
      await stack.stop();
    }
  });

  it('model keeps failing: a clear message once retries are spent', async () => {
    // The model limiter retries within MODEL_RETRY_WINDOW_MS, then the job is re-queued with a delay until
    // RETRY_WINDOW_SECONDS is spent: both short here.
    const stack = await startStack({ env: { RETRY_WINDOW_SECONDS: '1', MODEL_RETRY_WINDOW_MS: '1500' } });
    try {
      for (let i = 0; i < 40; i += 1) stack.model.script({ error: { status: 429, retryAfter: 0 } });
      await stack.slashCommand({ text: 'anything wrong?' });
      const { replies } = await waitForAnswer(stack.slack, 'anything wrong?');
      assert.equal(replies.length, 1);
      assert.match(replies[0]?.text ?? '', /rate-limiting us right now and retries ran out/);
      const attempts = stack.model.requests.length;
      assert.ok(attempts >= 2 && attempts < 40, `${attempts} model requests`);
    } finally {
      await stack.stop();
    }
  });
});
