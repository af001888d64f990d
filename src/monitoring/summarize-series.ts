import type { RangeSeries } from './prometheus-client.ts';

export interface SeriesSummary {
  min: number;
  max: number;
  last: number;
  /** rising / falling / flat: the last third's mean against the first third's, relative to the range seen. */
  trend: 'rising' | 'falling' | 'flat' | 'n/a';
}

/**
 * The few numbers a model needs from a series instead of its points. NaN and ±Inf points are skipped.
 * Two passes over the points and no copies: a million-point series costs a few milliseconds, not a GC storm.
 */
export function summarizeSeries(series: RangeSeries): SeriesSummary {
  const { points } = series;
  let count = 0;
  for (const [, v] of points) if (Number.isFinite(v)) count++;
  if (count === 0) return { min: Number.NaN, max: Number.NaN, last: Number.NaN, trend: 'n/a' };
  const third = Math.max(1, Math.floor(count / 3));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let last = Number.NaN;
  let firstSum = 0;
  let lastSum = 0;
  let index = 0;
  for (const [, v] of points) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
    if (index < third) firstSum += v;
    if (index >= count - third) lastSum += v;
    index++;
  }
  if (count < 3) return { min, max, last, trend: 'n/a' };
  const change = (lastSum - firstSum) / third;
  // 5% of the range seen (or of the level, for a flat-ish series) counts as movement.
  const scale = Math.max(max - min, Math.abs(max), Number.EPSILON);
  const trend = Math.abs(change) <= 0.05 * scale ? 'flat' : change > 0 ? 'rising' : 'falling';
  return { min, max, last, trend };
}
