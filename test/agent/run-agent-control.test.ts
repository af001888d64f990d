import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { Toolbox, ToolOutcome } from '../../src/contract/toolbox.ts';
import { runAgent, type ModelCall } from '../../src/agent/run-agent.ts';
import { maxSteps, tokenBudget, type StopCondition } from '../../src/agent/stop-conditions.ts';
import { startFakeAnthropicApi, text, toolUse, type FakeAnthropicApi } from '../../dev/fakes/fake-anthropic-api.ts';
import { toolResultsOf } from '../e2e/support.ts';

const KEY = 'sk-ant-control-key';

/** A toolbox whose `hang` tool never answers (and records whether it was told to stop); other tools answer at once. */
function hangingToolbox() {
  const seen: { name: string; signal: AbortSignal | undefined }[] = [];
  const toolbox: Toolbox = {
    tools: ['pods_list', 'hang'].map((name) => ({ name, description: name, input_schema: { type: 'object', properties: {} } })),
    call: (name, _input, signal) => {
      seen.push({ name, signal });
      if (name === 'hang') return new Promise<ToolOutcome>(() => undefined); // ignores its signal, as a stuck call would
      return Promise.resolve({ text: `${name} output`, isError: false });
    },
    close: () => Promise.resolve(),
  };
  return { toolbox, seen };
}

describe('runAgent loop control: stop conditions, step hooks, per-tool timeout, cancellation', () => {
  let model: FakeAnthropicApi;
  let anthropic: Anthropic;
  before(async () => {
    model = await startFakeAnthropicApi({ apiKey: KEY });
    anthropic = new Anthropic({ apiKey: KEY, baseURL: model.url, maxRetries: 0 });
  });
  after(() => model.stop());
  beforeEach(() => model.reset());
  const base = { model: 'm', system: 's', question: 'q' } as const;

  it("stop conditions compose: the first that answers stops the loop, before that turn's tools run", async () => {
    const { toolbox, seen } = hangingToolbox();
    const states: number[] = [];
    const afterTwoToolTurns: StopCondition = ({ step }) => {
      states.push(step);
      return step === 2 ? 'token_budget' : undefined;
    };
    model.script(
      { content: [text('one'), toolUse('pods_list')] },
      { content: [text('two'), toolUse('pods_list')] },
      { content: [text('never asked')] },
    );
    const answer = await runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5), afterTwoToolTurns, tokenBudget(1_000_000)] });
    assert.equal(answer.outcome, 'token_budget');
    assert.equal(answer.steps, 2);
    assert.equal(answer.text, 'two');
    assert.deepEqual(states, [1, 2], 'checked once per tool turn, in order');
    assert.equal(model.requests.length, 2);
    assert.equal(seen.length, 1, "the last turn's tools ran");
  });

  it('the earlier condition wins when two answer at once', async () => {
    const { toolbox } = hangingToolbox();
    model.script({ content: [toolUse('pods_list')], usage: { input_tokens: 5_000, output_tokens: 10 } });
    const answer = await runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(1), tokenBudget(100)] });
    assert.equal(answer.outcome, 'step_limit');
    model.reset();
    model.script({ content: [toolUse('pods_list')], usage: { input_tokens: 5_000, output_tokens: 10 } });
    assert.equal((await runAgent({ ...base, anthropic, toolbox, stopWhen: [tokenBudget(100), maxSteps(1)] })).outcome, 'token_budget');
  });

  it('onStepFinish hooks run in order as each model call returns, before its tools; a failing hook ends the loop', async () => {
    const { toolbox, seen } = hangingToolbox();
    const log: string[] = [];
    const hook = (name: string) => async (call: ModelCall) => {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`${name}:${call.step}:${call.usage.inputTokens}:tools-run=${seen.length}`);
    };
    model.script(
      { content: [toolUse('pods_list')], usage: { input_tokens: 11, output_tokens: 1 } },
      { content: [text('done')], usage: { input_tokens: 22, output_tokens: 2 } },
    );
    await runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5)], onStepFinish: [hook('charge'), hook('audit')] });
    assert.deepEqual(log, ['charge:1:11:tools-run=0', 'audit:1:11:tools-run=0', 'charge:2:22:tools-run=1', 'audit:2:22:tools-run=1']);
    model.reset();
    seen.length = 0;
    model.script({ content: [toolUse('pods_list')] }, { content: [text('never asked')] });
    const refused = () => Promise.reject(new Error('budget store down'));
    await assert.rejects(runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5)], onStepFinish: [refused] }), /budget store down/);
    assert.equal(seen.length, 0, 'a tool ran after a hook failed');
    assert.equal(model.requests.length, 1);
  });

  it('a tool call that hangs is stopped after toolTimeoutMs: the model gets an isError result and the loop goes on', async () => {
    const { toolbox, seen } = hangingToolbox();
    model.script({ content: [toolUse('hang'), toolUse('pods_list')] }, { content: [text('The hang tool timed out; pods are fine.')] });
    const started = Date.now();
    const answer = await runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5)], toolTimeoutMs: 300 });
    const elapsed = Date.now() - started;
    assert.equal(answer.outcome, 'end_turn');
    assert.ok(elapsed >= 300 && elapsed < 5_000, `took ${elapsed} ms`);
    const results = toolResultsOf(model.requests[1]?.body ?? {});
    assert.deepEqual(
      results.map((r) => r.isError),
      [true, false],
    );
    assert.match(JSON.stringify(results[0]), /hang did not answer within 300 ms and was stopped/);
    assert.deepEqual(
      answer.toolCalls.map((c) => [c.name, c.isError]),
      [
        ['hang', true],
        ['pods_list', false],
      ],
    );
    assert.equal(seen.find((s) => s.name === 'hang')?.signal?.aborted, true, 'the hung call was not told to stop');
  });

  it('an abort mid-turn (tools running) stops the loop at once, without another model call', async () => {
    const { toolbox, seen } = hangingToolbox();
    const controller = new AbortController();
    model.script({ content: [toolUse('hang')] }, { content: [text('never asked')] });
    const run = runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5)], signal: controller.signal });
    const deadline = Date.now() + 5_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(seen.length, 1, 'the tool never started');
    const aborted = Date.now();
    controller.abort('worker shutting down');
    await assert.rejects(run, /worker shutting down/);
    assert.ok(Date.now() - aborted < 1_000, 'the loop waited for the hung tool');
    assert.equal(model.requests.length, 1, 'another model call was made after the abort');
    assert.equal(seen[0]?.signal?.aborted, true);
  });

  it('an abort before a step makes no model call', async () => {
    const { toolbox } = hangingToolbox();
    const controller = new AbortController();
    controller.abort('lock lost');
    model.script({ content: [text('never asked')] });
    await assert.rejects(runAgent({ ...base, anthropic, toolbox, stopWhen: [maxSteps(5)], signal: controller.signal }));
    assert.equal(model.requests.length, 0);
  });
});
