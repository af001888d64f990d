import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { formatValue } from '../contract/format-value.ts';

/** One line of the chart: points as [unix seconds, value]. */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface RenderChartOptions {
  title: string;
  series: readonly ChartSeries[];
  /** Unix seconds; the x axis spans exactly this window. */
  start: number;
  end: number;
  width?: number;
  height?: number;
}

/** Distinct on white, in the order Grafana's classic palette uses. */
const COLORS = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642', '#cca300'];
const LEGEND_ROWS = 5;
const FONT = '12px "DejaVu Sans", sans-serif';

/**
 * A PNG line chart of range-query series, drawn server-side (no browser): title, value and time axes with
 * grid lines, one coloured line per series (gaps where points are missing or not finite) and a legend.
 * Fixed size, so a chat client shows it the same way every time.
 */
export function renderChart({ title, series, start, end, width = 800, height = 400 }: RenderChartOptions): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const legendRows = Math.min(LEGEND_ROWS, series.length);
  const plot = { left: 64, top: 32, right: width - 24, bottom: height - 36 - legendRows * 16 };
  const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) => Number.isFinite(v));
  const [low, high] = valueRange(values);
  const x = (t: number) => plot.left + ((t - start) / Math.max(1, end - start)) * (plot.right - plot.left);
  const y = (v: number) => plot.bottom - ((v - low) / (high - low)) * (plot.bottom - plot.top);

  ctx.font = `bold ${FONT}`;
  ctx.fillStyle = '#222222';
  ctx.textBaseline = 'middle';
  ctx.fillText(ellipsis(ctx, title, width - 32), 16, 16);
  ctx.font = FONT;
  drawValueAxis(ctx, plot, low, high, y);
  drawTimeAxis(ctx, plot, start, end, x);
  ctx.strokeStyle = '#888888';
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);

  series.forEach((s, i) => {
    ctx.strokeStyle = COLORS[i % COLORS.length] ?? '#000000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(x(t), y(v));
      else ctx.moveTo(x(t), y(v));
      drawing = true;
    }
    ctx.stroke();
  });
  if (series.length === 0) {
    ctx.fillStyle = '#888888';
    ctx.textAlign = 'center';
    ctx.fillText('no data in this window', (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
    ctx.textAlign = 'left';
  }
  drawLegend(ctx, series, plot.left, height - legendRows * 16 - 4, width - plot.left - 16);
  return canvas.toBuffer('image/png');
}

type Plot = { left: number; top: number; right: number; bottom: number };

/** Low and high ends of the value axis, padded a little, never zero-height. */
function valueRange(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    return [low - pad, high + pad];
  }
  const pad = (high - low) * 0.05;
  low = low >= 0 && low - pad < 0 ? 0 : low - pad;
  high += pad;
  return [low, high];
}

function drawValueAxis(ctx: SKRSContext2D, plot: Plot, low: number, high: number, y: (v: number) => number): void {
  const ticks = 5;
  ctx.textAlign = 'right';
  for (let i = 0; i <= ticks; i += 1) {
    const value = low + ((high - low) * i) / ticks;
    const at = y(value);
    gridLine(ctx, plot.left, at, plot.right, at);
    ctx.fillStyle = '#444444';
    ctx.fillText(formatValue(Number(value.toPrecision(3))), plot.left - 6, at);
  }
  ctx.textAlign = 'left';
}

function drawTimeAxis(ctx: SKRSContext2D, plot: Plot, start: number, end: number, x: (t: number) => number): void {
  const ticks = 6;
  const span = end - start;
  // Dates matter once the window is longer than a day; otherwise the time of day is enough.
  const label = (t: number) => {
    const iso = new Date(t * 1000).toISOString();
    return span > 86_400 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : span > 600 ? iso.slice(11, 16) : iso.slice(11, 19);
  };
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i <= ticks; i += 1) {
    const t = start + (span * i) / ticks;
    const at = x(t);
    gridLine(ctx, at, plot.top, at, plot.bottom);
    ctx.fillStyle = '#444444';
    ctx.fillText(label(t), at, plot.bottom + 6);
  }
  ctx.textAlign = 'right';
  ctx.fillText('UTC', plot.right, plot.bottom + 20);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
}

function drawLegend(ctx: SKRSContext2D, series: readonly ChartSeries[], left: number, top: number, maxWidth: number): void {
  const shown = series.slice(0, LEGEND_ROWS);
  shown.forEach((s, i) => {
    const rowY = top + i * 16 + 8;
    ctx.fillStyle = COLORS[i % COLORS.length] ?? '#000000';
    ctx.fillRect(left, rowY - 4, 12, 8);
    ctx.fillStyle = '#222222';
    const more = i === shown.length - 1 && series.length > shown.length ? ` (+${series.length - shown.length} more)` : '';
    ctx.fillText(ellipsis(ctx, `${s.name}${more}`, maxWidth - 20), left + 18, rowY);
  });
}

function gridLine(ctx: SKRSContext2D, x1: number, y1: number, x2: number, y2: number): void {
  ctx.strokeStyle = '#e6e6e6';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}

function ellipsis(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}
