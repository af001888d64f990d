import type { Table } from '../benchmark.ts';

/** A fixed-width table: text columns left-aligned, numbers right-aligned. */
export function formatTable({ title, header, rows }: Table): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const numeric = header.map((_, col) => rows.length > 0 && rows.every((row) => typeof row[col] === 'number'));
  const widths = header.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (numeric[col] === true ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [title, line(header), rule, ...cells.slice(1).map(line)].join('\n');
}
