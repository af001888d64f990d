import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text, toolUse } from '../../dev/fakes/fake-anthropic-api.ts';
import { startStack, type Stack } from '../../dev/stack/start-stack.ts';
import { waitForAnswer } from '../e2e/support.ts';
import { promtoolCheck, scrape, valueOf, type Sample } from './parse-metrics.ts';

/** Scrapes until `done` holds (the answer's audit event lands just after the answer is posted). */
async function scrapeUntil(url: string, done: (samples: Sample[]) => boolean, timeoutMs = 5_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { samples } = await scrape(url);
    if (done(samples) || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('/metrics on every role, after a real answer through the whole stack', () => {
  let stack: Stack;
  let gateway: string;
  let worker: string;
  let mcp: string;
  before(async () => {
    // The gateway's queue gauges are cached (METRICS_QUEUE_REFRESH_SECONDS); the shortest interval keeps this test short.
    stack = await startStack({ env: { METRICS_QUEUE_REFRESH_SECONDS: '1' } });
    gateway = stack.gatewayUrl;
    worker = stack.roleUrls.worker ?? '';
    mcp = stack.roleUrls.mcp ?? '';
    assert.ok(worker !== '' && mcp !== '', JSON.stringify(stack.roleUrls));
  });
  after(async () => {
    await stack.stop();
  });

  it('counts the tool calls by tool and outcome, the answer, its tokens, the HTTP requests and the jobs', async () => {
    // Counters live in one registry per process and other tests may share it: compare before and after.
    const before = { worker: (await scrape(worker)).samples, gateway: (await scrape(gateway)).samples };
    stack.model.script(
      {
        content: [toolUse('pods_list', { namespace: 'shop' }), toolUse('pod_logs', { namespace: 'shop', name: 'no-such-pod-4711' })],
        usage: { input_tokens: 1000, output_tokens: 40, cache_creation_input_tokens: 3000, cache_read_input_tokens: 0 },
      },
      {
        content: [text('Checkout is fine.')],
        usage: { input_tokens: 1500, output_tokens: 60, cache_creation_input_tokens: 0, cache_read_input_tokens: 3000 },
      },
    );
    const question = 'metrics please, how is shop?';
    const ack = await stack.slashCommand({ text: question });
    assert.equal(ack.status, 200);
    await waitForAnswer(stack.slack, question);

    const delta = (after: Sample[], base: Sample[], name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(base, name, labels);
    const afterWorker = await scrapeUntil(
      worker,
      (s) => delta(s, before.worker, 'ai4k8s_answers_total', { platform: 'slack', outcome: 'ok' }) >= 1,
    );
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tool_calls_total', { tool: 'pods_list', outcome: 'ok' }), 1);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tool_calls_total', { tool: 'pod_logs', outcome: 'error' }), 1);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tool_calls_total', { tool: 'pod_logs', outcome: 'ok' }), 0);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_answers_total', { platform: 'slack', outcome: 'ok' }), 1);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_answer_duration_seconds_count', { platform: 'slack', outcome: 'ok' }), 1);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tokens_total', { type: 'input' }), 2500);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tokens_total', { type: 'output' }), 100);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tokens_total', { type: 'cache_read' }), 3000);
    assert.equal(delta(afterWorker, before.worker, 'ai4k8s_tokens_total', { type: 'cache_write' }), 3000);

    const afterGateway = await scrapeUntil(gateway, (s) => valueOf(s, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'completed' }) === 1);
    assert.equal(
      delta(afterGateway, before.gateway, 'ai4k8s_http_requests_total', { method: 'POST', route: '/slack/events', status: '200' }),
      1,
    );
    assert.equal(
      valueOf(afterGateway, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'completed' }),
      1,
      'this stack has its own queue prefix',
    );
    assert.equal(valueOf(afterGateway, 'ai4k8s_queue_jobs', { queue: 'chat', state: 'waiting' }), 0);
    assert.equal(valueOf(afterGateway, 'ai4k8s_queue_workers', { queue: 'chat' }), 1);
    assert.ok(afterGateway.some((s) => s.name === 'ai4k8s_queue_jobs' && s.labels.queue === 'approval'));

    // The MCP server counted the worker's POST /mcp requests (list tools, two calls).
    const afterMcp = (await scrape(mcp)).samples;
    assert.ok(valueOf(afterMcp, 'ai4k8s_http_requests_total', { method: 'POST', route: '/mcp', status: '200' }) >= 3);
  });

  it('labels unknown paths as one "unmatched" route (no unbounded label values from URLs)', async () => {
    await fetch(`${gateway}/wp-admin/${Math.random()}`);
    await fetch(`${gateway}/.env?x=${Math.random()}`);
    const { samples } = await scrape(gateway);
    assert.ok(valueOf(samples, 'ai4k8s_http_requests_total', { method: 'other', route: 'unmatched', status: '404' }) >= 2);
    assert.ok(!samples.some((s) => (s.labels.route ?? '').includes('wp-admin')));
  });

  it('serves the Prometheus text format on all three roles, with runtime metrics, valid for promtool', async () => {
    for (const url of [gateway, worker, mcp]) {
      const { text: body, samples, contentType } = await scrape(url);
      assert.match(contentType, /^text\/plain; version=0\.0\.4/);
      assert.ok(
        samples.some((s) => s.name === 'process_resident_memory_bytes'),
        `${url}: no runtime metrics`,
      );
      assert.ok(
        samples.some((s) => s.name === 'ai4k8s_http_requests_total'),
        `${url}: no request counter`,
      );
      const check = promtoolCheck(body);
      if (check === undefined) continue;
      // prom-client's own runtime gauges named *_total draw lint remarks; anything else (a parse error, or a
      // remark on our metrics) fails.
      const problems = check.output
        .split('\n')
        .filter((line) => line.trim() !== '' && !/^nodejs_\w+ non-counter metrics should not have "_total" suffix$/.test(line));
      assert.deepEqual(problems, [], `promtool check metrics (${url})`);
    }
  });

  it('MCP: /metrics needs no token, /mcp still does', async () => {
    assert.equal((await fetch(`${mcp}/metrics`)).status, 200);
    const open = await fetch(`${mcp}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(open.status, 401);
  });
});
