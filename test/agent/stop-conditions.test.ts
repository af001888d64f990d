import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxSteps, tokenBudget } from '../../src/agent/stop-conditions.ts';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens: 0,
});

describe('stop conditions', () => {
  it('maxSteps stops at the step it names, not before', () => {
    const stop = maxSteps(3);
    assert.equal(stop({ step: 2, usage: usage(0, 0) }), undefined);
    assert.equal(stop({ step: 3, usage: usage(0, 0) }), 'step_limit');
    assert.equal(stop({ step: 4, usage: usage(0, 0) }), 'step_limit');
  });

  it('tokenBudget stops once input + output tokens pass it; cache reads do not count', () => {
    const stop = tokenBudget(1_000);
    assert.equal(stop({ step: 1, usage: usage(600, 400, 50_000) }), undefined);
    assert.equal(stop({ step: 1, usage: usage(601, 400) }), 'token_budget');
  });
});
