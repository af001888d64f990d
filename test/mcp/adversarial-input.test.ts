// test-lane: service (timed pathological inputs at 1 MiB: minutes of CPU on a busy machine, no service)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeSeries } from '../../src/monitoring/summarize-series.ts';
import { ADVERSARIAL_INPUTS, cpuMs, MS_PER_MIB_BAR as MS_PER_MIB, TEXT_FUNCTIONS } from '../../dev/support/adversarial-text.ts';

const MIB = 1 << 20;
/** Below this a measurement is JIT warm-up, timer and GC noise, not cost. */
const FLOOR_MS = 50;
/** Each input is tried at growing sizes, so a super-linear function fails at a small size instead of hanging the run. */
const SIZES = [64 * 1024, 256 * 1024, MIB];

/**
 * The first size at which `run` costs more than the bar, with what it cost (undefined when every size is
 * within it), and the cost per MiB at the largest size.
 */
function overBudget(fn: (input: string) => unknown, make: (size: number) => string): { slow?: string; msPerMib: number } {
  let msPerMib = 0;
  for (const size of SIZES) {
    const input = make(size);
    const allowed = Math.max(FLOOR_MS, (MS_PER_MIB * input.length) / MIB);
    // The better of two runs: a GC pause or a busy neighbour on a shared machine is not the function's cost.
    let ms = cpuMs(() => fn(input));
    if (ms > allowed)
      ms = Math.min(
        ms,
        cpuMs(() => fn(input)),
      );
    if (ms > allowed)
      return {
        slow: `${(input.length / 1024).toFixed(0)} KiB took ${ms.toFixed(0)} ms (allowed ${allowed.toFixed(0)} ms)`,
        msPerMib: (ms * MIB) / input.length,
      };
    msPerMib = (ms * MIB) / input.length;
  }
  return { msPerMib };
}

describe(`adversarial input: every MCP-side text function stays under ${MS_PER_MIB} ms per MiB`, () => {
  for (const [name, fn] of Object.entries(TEXT_FUNCTIONS)) {
    it(name, (t) => {
      // Compiled before it is timed: the first calls of a function run in the interpreter.
      for (let i = 0; i < 20; i++) fn(`warm up: password=x ${'a.'.repeat(200)} \`x\` {"k":"v"}\n`.repeat(4));
      const slow: string[] = [];
      let worst = { shape: '', msPerMib: 0 };
      for (const [shape, make] of Object.entries(ADVERSARIAL_INPUTS)) {
        try {
          const { slow: verdict, msPerMib } = overBudget(fn, make);
          if (verdict !== undefined) slow.push(`${shape}: ${verdict}`);
          if (msPerMib > worst.msPerMib) worst = { shape, msPerMib };
        } catch (error) {
          slow.push(`${shape}: threw ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      t.diagnostic(`worst: ${worst.shape}, ${worst.msPerMib.toFixed(0)} ms per MiB`);
      assert.deepEqual(slow, []);
    });
  }

  it('summarizeSeries: a million points', () => {
    const points: [number, number][] = Array.from({ length: MIB }, (_, i) => [i, i % 7]);
    // Compiled before it is timed, as above.
    const warmUp: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i, i % 7]);
    for (let i = 0; i < 50; i++) summarizeSeries({ labels: {}, points: warmUp });
    // The better of two runs, as above: a GC pause or a busy neighbour is not the function's cost.
    let ms = cpuMs(() => summarizeSeries({ labels: {}, points }));
    if (ms >= MS_PER_MIB)
      ms = Math.min(
        ms,
        cpuMs(() => summarizeSeries({ labels: {}, points })),
      );
    assert.ok(ms < MS_PER_MIB, `${ms.toFixed(0)} ms`);
  });
});
