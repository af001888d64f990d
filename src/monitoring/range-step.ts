/** Steps a graph reader finds natural, in seconds. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * The step of a range query that returns at most `maxPoints` points per series over [start, end] (unix
 * seconds): the smallest "nice" step at least (end - start) / (maxPoints - 1), so the output stays bounded
 * whatever range the model asks for.
 */
export function rangeStep({ start, end, maxPoints }: { start: number; end: number; maxPoints: number }): number {
  const span = Math.max(0, end - start);
  const minimum = span / Math.max(1, maxPoints - 1);
  const nice = NICE_STEPS.find((step) => step >= minimum);
  return nice ?? Math.ceil(minimum / 86400) * 86400;
}

/** How many points a series has at most with this step. */
export const pointsIn = ({ start, end, step }: { start: number; end: number; step: number }): number =>
  Math.floor((end - start) / step) + 1;
