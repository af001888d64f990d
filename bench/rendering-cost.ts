import { MAX_CPU_MS_PER_MIB, measureHostileCost, type HostileCost } from '../dev/support/hostile-cost.ts';
import { hostileSubjects, type HostileSubjectName } from '../dev/support/hostile-subjects.ts';
import { hostileText, hostileTextNames, MIB, type HostileTextName } from '../dev/support/hostile-text.ts';
import { figureOf, type Benchmark, type BenchmarkResult, type Figure } from './benchmark.ts';
import { distribution } from './support/stats.ts';

/** A call still running after this long is reported as a problem instead of waited for. */
const DEADLINE_MS = 20_000;

export const renderingCost: Benchmark = {
  name: 'rendering-cost',
  title: 'chat-side text functions on 1 MiB hostile inputs: CPU ms per MiB of the worst input, against one JavaScript pass over it',
  needsCluster: false,
  run: measureRenderingCost,
};

/**
 * The linear floor: one JavaScript pass reading every character of the input (what the smallest scanner must
 * do), taken as the fastest of a few runs. An `indexOf` or `Buffer.byteLength` pass runs in native code at
 * memory speed and says nothing about what JavaScript can do in one pass.
 */
function floorCpuMs(text: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run += 1) {
    const cpu = process.cpuUsage();
    let lines = 0;
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lines += 1;
    const used = process.cpuUsage(cpu);
    if (lines < 0) throw new Error('unreachable: keeps the loop from being dropped');
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

async function measureRenderingCost(): Promise<BenchmarkResult> {
  const floors = new Map<HostileTextName, number>();
  // Warm-up: the floor's loop is compiled before it is timed, as the functions are in their worker.
  for (let run = 0; run < 4; run += 1) floorCpuMs('ordinary text, ten words of it on one line of a message\n'.repeat(MIB / 64));
  for (const input of hostileTextNames) floors.set(input, floorCpuMs(hostileText[input](MIB)));
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const problems: string[] = [];
  for (const subject of Object.keys(hostileSubjects) as HostileSubjectName[]) {
    const costs = await measureHostileCost({ subject, inputs: hostileTextNames, size: MIB, deadlineMs: DEADLINE_MS });
    for (const cost of costs) {
      if (cost.failure !== undefined) problems.push(`${subject} on '${cost.input}': ${cost.failure}`);
      else if (cost.cpuMsPerMiB > MAX_CPU_MS_PER_MIB)
        problems.push(`${subject} on '${cost.input}': ${Math.round(cost.cpuMsPerMiB)} ms CPU per MiB, over ${MAX_CPU_MS_PER_MIB}`);
    }
    const worst = costs.reduce<HostileCost | undefined>((a, b) => (a === undefined || b.cpuMsPerMiB > a.cpuMsPerMiB ? b : a), undefined);
    if (worst === undefined) continue;
    const floor = round(floors.get(worst.input) ?? 0);
    const typical = round(distribution(costs.map((c) => c.cpuMsPerMiB)).p50);
    const figure = round(worst.cpuMsPerMiB);
    figures.push(
      figureOf({
        name: `${subject}: worst input`,
        figure,
        unit: 'CPU ms per MiB',
        floor,
        floorName: `one JS pass over '${worst.input}'`,
        details: {
          worstInput: worst.input,
          medianMsPerMiB: typical,
          inputs: costs.length,
          perInput: Object.fromEntries(costs.map((c) => [c.input, round(c.cpuMsPerMiB)])),
        },
      }),
    );
    rows.push([subject, worst.input, figure, typical, floor]);
  }
  return {
    figures,
    tables: [
      {
        title: `per function, ${hostileTextNames.length} hostile inputs of 1 MiB each`,
        header: ['function', 'worst input', 'worst ms/MiB', 'median ms/MiB', 'floor ms/MiB'],
        rows,
      },
    ],
    problems,
  };
}

const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 100) / 100 : value);
