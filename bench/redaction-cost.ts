import { ADVERSARIAL_INPUTS, cpuMs, MS_PER_MIB_BAR, TEXT_FUNCTIONS } from '../dev/support/adversarial-text.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure } from './benchmark.ts';

const MIB = 1 << 20;
/** Runs per measurement; the best is kept (a GC pause is not the function's cost). */
const RUNS = 3;

export const redactionCost: Benchmark = {
  name: 'redaction-cost',
  title: `CPU ms per MiB of each MCP-side text function on its worst adversarial input (of ${Object.keys(ADVERSARIAL_INPUTS).length} shapes), against one JSON.stringify pass over the same input`,
  needsCluster: false,
  run: measureRedactionCost,
};

const best = (run: () => unknown): number => Math.min(...Array.from({ length: RUNS }, () => cpuMs(run)));

/**
 * For each function: every adversarial shape at 1 MiB, the worst one kept; its cost per MiB is the figure.
 * The floor is a single linear pass over the same input measured in the same run (JSON.stringify: it reads
 * every character and writes an escaped copy), so the ratio says how many plain passes the function costs.
 */
function measureRedactionCost(): Promise<BenchmarkResult> {
  const inputs = Object.entries(ADVERSARIAL_INPUTS).map(([shape, make]) => ({ shape, text: make(MIB) }));
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const problems: string[] = [];
  for (const [name, fn] of Object.entries(TEXT_FUNCTIONS)) {
    // Compiled before it is timed.
    for (let i = 0; i < 20; i++) fn(`warm up: password=x ${'a.'.repeat(200)} \`x\` {"k":"v"}\n`.repeat(4));
    let worst = { shape: '', msPerMib: 0, text: '' };
    for (const { shape, text } of inputs) {
      const msPerMib = (best(() => fn(text)) * MIB) / text.length;
      if (msPerMib > worst.msPerMib) worst = { shape, msPerMib, text };
    }
    const floor = (best(() => JSON.stringify(worst.text)) * MIB) / worst.text.length;
    // Two decimals: the functions that read only a bounded part of their input cost hundredths of a ms.
    const figure = Math.round(worst.msPerMib * 100) / 100;
    const floorMs = Math.round(floor * 100) / 100;
    figures.push(
      figureOf({
        name,
        figure,
        unit: 'ms/MiB',
        floor: floorMs,
        floorName: 'JSON.stringify of the same input',
        details: { worstInput: worst.shape },
      }),
    );
    rows.push([name, worst.shape, figure, floorMs]);
    if (worst.msPerMib > MS_PER_MIB_BAR) problems.push(`${name}: ${figure} ms per MiB on "${worst.shape}" (bar ${MS_PER_MIB_BAR})`);
  }
  return Promise.resolve({
    figures,
    tables: [{ title: 'worst input per function (CPU ms per MiB)', header: ['function', 'worst input', 'ours', 'floor'], rows }],
    problems,
  });
}
