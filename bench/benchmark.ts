/** One measured number, next to the floor it is judged against (measured in the same run). */
export interface Figure {
  name: string;
  figure: number;
  unit: string;
  /** The same measurement on the bare floor; null when there is nothing comparable. */
  floor: number | null;
  floorName: string | null;
  /** figure / floor. */
  ratio: number | null;
  details: Record<string, unknown>;
}

/** A rendered table for the console: a title, a header row and rows of cells. */
export interface Table {
  title: string;
  header: string[];
  rows: (string | number)[][];
}

export interface BenchmarkResult {
  figures: Figure[];
  /** Extra tables beyond the figures table (per-target detail, per-stage breakdown). */
  tables: Table[];
  /** Checks that failed (non-200 responses, missing answers…); empty when the run was clean. */
  problems: string[];
}

export interface Benchmark {
  name: string;
  /** What it measures, one line. */
  title: string;
  /** Whether it needs the test cluster (started once, only when some selected benchmark needs it). */
  needsCluster: boolean;
  run(): Promise<BenchmarkResult>;
}

export function figureOf({ name, figure, unit, floor, floorName, details }: Omit<Figure, 'ratio'>): Figure {
  const ratio = floor === null || floor === 0 ? null : Math.round((figure / floor) * 1000) / 1000;
  return { name, figure, unit, floor, floorName, ratio, details };
}
