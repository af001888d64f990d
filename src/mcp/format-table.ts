export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | undefined;
}

/**
 * A plain-text table like kubectl's: space-aligned columns, headers upper-case, and columns that are
 * empty in every row left out so they cost no tokens.
 */
export function formatTable<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const kept = columns
    .map((_, i) => cells.some((line) => (line[i] ?? '') !== ''))
    .map((keep, i) => (keep ? i : -1))
    .filter((i) => i >= 0);
  const headers = kept.map((i) => columns[i]?.header.toUpperCase() ?? '');
  const body = cells.map((line) => kept.map((i) => line[i] ?? ''));
  // Loops, not Math.max(...): spreading many rows overflows the call stack.
  const widths = headers.map((h) => h.length);
  for (const line of body) for (let k = 0; k < widths.length; k++) widths[k] = Math.max(widths[k] ?? 0, (line[k] ?? '').length);
  const render = (line: string[]) =>
    line
      .map((cell, k) => (k === line.length - 1 ? cell : cell.padEnd(widths[k] ?? 0)))
      .join('   ')
      .trimEnd();
  return [render(headers), ...body.map(render)].join('\n');
}

function cellText(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value).replace(/\s+/g, ' ');
}
