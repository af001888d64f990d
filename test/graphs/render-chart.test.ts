import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderChart } from '../../src/graphs/render-chart.ts';
import { pngSize } from './png-size.ts';

describe('renderChart', () => {
  const start = 1_700_000_000;
  const series = [0, 1].map((k) => ({
    name: `up{instance="node-${k}"}`,
    points: Array.from({ length: 60 }, (_, i) => [start + i * 60, k + Math.sin(i / 5)] as [number, number]),
  }));

  it('renders a PNG of the fixed size', () => {
    const png = renderChart({ title: 'up', series, start, end: start + 3600 });
    assert.deepEqual(pngSize(png), { width: 800, height: 400 });
    assert.ok(png.length > 5_000, 'has drawn content');
  });

  it('draws the data: different series give different images; no data still renders', () => {
    const a = renderChart({ title: 'up', series, start, end: start + 3600 });
    const b = renderChart({ title: 'up', series: series.slice(0, 1), start, end: start + 3600 });
    assert.ok(!a.equals(b));
    const empty = renderChart({ title: 'nothing', series: [], start, end: start + 60, width: 400, height: 200 });
    assert.deepEqual(pngSize(empty), { width: 400, height: 200 });
  });

  it('skips NaN points instead of failing', () => {
    const png = renderChart({
      title: 'gaps',
      series: [
        {
          name: 'x',
          points: [
            [start, 1],
            [start + 60, Number.NaN],
            [start + 120, 3],
          ],
        },
      ],
      start,
      end: start + 120,
    });
    assert.deepEqual(pngSize(png), { width: 800, height: 400 });
  });
});
