import { figureOf, type Figure } from '../benchmark.ts';
import type { TargetRun } from './interleaved-load.ts';
import { round } from './stats.ts';

export interface LatencyFiguresOptions {
  /** The figure names' start, e.g. `ack` gives `ack p50` and `ack p99`. */
  name: string;
  ours: TargetRun;
  floor: TargetRun;
  floorName: string;
  details: Record<string, unknown>;
}

/** p50 and p99 of our target next to the floor's, measured in the same run. */
export function latencyFigures({ name, ours, floor, floorName, details }: LatencyFiguresOptions): Figure[] {
  return (['p50', 'p99'] as const).map((p) =>
    figureOf({ name: `${name} ${p}`, figure: round(ours.latency[p]), unit: 'ms', floor: round(floor.latency[p]), floorName, details }),
  );
}

/**
 * A generous sanity bound, not a target: a figure whose ratio to its floor is above `maxRatio` means our path
 * does something it should not (a network call, a blocking wait), beyond what a noisy shared box explains.
 */
export function ratioProblems(figures: readonly Figure[], maxRatio: number, names: readonly string[]): string[] {
  return figures
    .filter((f) => names.includes(f.name) && f.ratio !== null && f.ratio > maxRatio)
    .map((f) => `${f.name}: ${f.figure} ${f.unit} is ${f.ratio}x the floor's ${f.floor} ${f.unit} (bound: ${maxRatio}x)`);
}
