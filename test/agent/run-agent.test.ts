import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { ModelRejectedError, ModelUnavailableError } from '../../src/agent/errors.ts';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import { runAgent, type AgentProgress } from '../../src/agent/run-agent.ts';
import { maxSteps, tokenBudget } from '../../src/agent/stop-conditions.ts';
import { answerText } from '../../src/chat/answer-view.ts';
import { composeAnswerView } from '../../src/worker/compose-answer.ts';
import { startFakeAnthropicApi, text, toolUse, type FakeAnthropicApi } from '../../dev/fakes/fake-anthropic-api.ts';
import { toolResultsOf } from '../e2e/support.ts';

const KEY = 'sk-ant-unit-key';

/** A toolbox whose tools sleep, so concurrency shows in wall time. */
function slowToolbox(delayMs: number) {
  const calls: { name: string; started: number }[] = [];
  const toolbox: Toolbox = {
    tools: ['pods_list', 'pod_logs', 'events_list'].map((name) => ({
      name,
      description: name,
      input_schema: { type: 'object', properties: {} },
    })),
    call: async (name) => {
      calls.push({ name, started: Date.now() });
      await new Promise((r) => setTimeout(r, delayMs));
      return name === 'events_list' ? { text: 'forbidden: cannot list events', isError: true } : { text: `${name} output`, isError: false };
    },
    close: () => Promise.resolve(),
  };
  return { toolbox, calls };
}

describe('runAgent', () => {
  let model: FakeAnthropicApi;
  let anthropic: Anthropic;
  before(async () => {
    model = await startFakeAnthropicApi({ apiKey: KEY });
    anthropic = new Anthropic({ apiKey: KEY, baseURL: model.url, maxRetries: 1 });
  });
  after(async () => {
    await model.stop();
  });
  beforeEach(() => model.reset());

  it('runs every tool_use of a turn concurrently and returns all results in one user message', async () => {
    const { toolbox, calls } = slowToolbox(300);
    model.script({ content: [toolUse('pods_list'), toolUse('pod_logs'), toolUse('events_list')] }, { content: [text('Done.')] });
    const progress: AgentProgress[] = [];
    const started = Date.now();
    const answer = await runAgent({
      anthropic,
      model: 'claude-sonnet-4-6',
      system: 's',
      question: 'q',
      toolbox,
      stopWhen: [maxSteps(5)],
      onProgress: (p) => void progress.push(p),
    });
    const elapsed = Date.now() - started;
    assert.equal(answer.text, 'Done.');
    assert.equal(answer.outcome, 'end_turn');
    assert.equal(calls.length, 3);
    assert.ok(elapsed < 800, `tools ran one after another (${elapsed} ms)`);
    const results = toolResultsOf(model.requests[1]?.body ?? {});
    assert.equal(results.length, 3);
    assert.deepEqual(
      results.map((r) => r.isError),
      [false, false, true],
    );
    assert.deepEqual(model.violations, []);
    assert.deepEqual(
      progress[0]?.running.map((r) => r.name),
      ['pods_list', 'pod_logs', 'events_list'],
    );
    assert.equal(answer.usage.inputTokens > 0 && answer.usage.outputTokens > 0, true);
  });

  it('marks the system prompt and the tool list cacheable, and sums usage with cache tokens', async () => {
    const { toolbox } = slowToolbox(0);
    model.script(
      {
        content: [toolUse('pods_list')],
        usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 900, cache_read_input_tokens: 0 },
      },
      {
        content: [text('Done.')],
        usage: { input_tokens: 20, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 900 },
      },
    );
    const answer = await runAgent({ anthropic, model: 'm', system: 'the prompt', question: 'q', toolbox, stopWhen: [maxSteps(3)] });
    assert.deepEqual(model.violations, []);
    for (const request of model.requests) {
      const body = request.body as { system?: unknown; tools?: Record<string, unknown>[] };
      assert.deepEqual(body.system, [{ type: 'text', text: 'the prompt', cache_control: { type: 'ephemeral' } }]);
      const tools = body.tools ?? [];
      assert.deepEqual(tools.at(-1)?.cache_control, { type: 'ephemeral' });
      assert.ok(
        tools.slice(0, -1).every((t) => t.cache_control === undefined),
        'only the last tool is a cache breakpoint',
      );
    }
    assert.deepEqual(answer.usage, { inputTokens: 30, outputTokens: 12, cacheReadTokens: 900, cacheWriteTokens: 900 });
  });

  it('stops at the step limit with what it found so far', async () => {
    const { toolbox } = slowToolbox(0);
    model.script(
      { content: [text('Checking pods.'), toolUse('pods_list')] },
      { content: [text('Now logs.'), toolUse('pod_logs')] },
      { content: [text('And events.'), toolUse('events_list')] },
    );
    const answer = await runAgent({ anthropic, model: 'm', system: 's', question: 'q', toolbox, stopWhen: [maxSteps(3)] });
    assert.equal(answer.outcome, 'step_limit');
    assert.equal(answer.steps, 3);
    assert.equal(answer.text, 'And events.');
    assert.equal(model.requests.length, 3);
    assert.equal(model.pending(), 0);
  });

  it("stops before the next model call once the answer's input + output tokens pass the budget, with what it found so far", async () => {
    const { toolbox, calls } = slowToolbox(0);
    model.script(
      {
        content: [text('Checking pods.'), toolUse('pods_list')],
        usage: { input_tokens: 400, output_tokens: 100, cache_read_input_tokens: 5000 },
      },
      { content: [text('Pods look fine; now logs.'), toolUse('pod_logs')], usage: { input_tokens: 450, output_tokens: 60 } },
      { content: [text('never asked')] },
    );
    const answer = await runAgent({
      anthropic,
      model: 'm',
      system: 's',
      question: 'q',
      toolbox,
      stopWhen: [maxSteps(8), tokenBudget(1_000)],
    });
    assert.equal(answer.outcome, 'token_budget');
    assert.equal(answer.steps, 2);
    assert.equal(answer.text, 'Pods look fine; now logs.');
    assert.equal(model.requests.length, 2, 'a model call was made past the budget');
    assert.equal(model.pending(), 1);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['pods_list'],
      "the last turn's tools ran although no model would see their results",
    );
    assert.deepEqual(answer.usage, { inputTokens: 850, outputTokens: 160, cacheReadTokens: 5000, cacheWriteTokens: 0 });
    const markdown = answerText(composeAnswerView(answer, { maxSteps: 8, maxAnswerTokens: 1_000 }));
    assert.match(
      markdown,
      /^I reached my token budget for one answer \(1,000 tokens\) before finishing\. What I found so far:\n\nPods look fine; now logs\./,
    );
  });

  it('maps a model outage to ModelUnavailableError and a bad key to ModelRejectedError', async () => {
    const { toolbox } = slowToolbox(0);
    model.script({ error: { status: 529 } }, { error: { status: 529 } });
    await assert.rejects(runAgent({ anthropic, model: 'm', system: 's', question: 'q', toolbox, stopWhen: [maxSteps(3)] }), (error) => {
      assert.ok(error instanceof ModelUnavailableError);
      assert.equal(error.status, 529);
      return true;
    });
    const badKey = new Anthropic({ apiKey: 'wrong', baseURL: model.url, maxRetries: 0 });
    await assert.rejects(
      runAgent({ anthropic: badKey, model: 'm', system: 's', question: 'q', toolbox, stopWhen: [maxSteps(3)] }),
      ModelRejectedError,
    );
  });
});
