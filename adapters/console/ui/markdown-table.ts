/** A column's alignment, from the delimiter row (`:--`, `:-:`, `--:`); undefined when it states none. */
export type TableAlign = 'left' | 'center' | 'right' | undefined;

const DELIMITER_CELL = /^(:?)-+(:?)$/;

/**
 * The cells of a GFM pipe-table row: an outer `|` on either side is optional, `\|` is a pipe inside a cell.
 * One pass over the line.
 */
export function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** The alignments of a delimiter row (`| --- | :-: |`), or undefined when the line is not one. */
export function tableDelimiter(line: string): TableAlign[] | undefined {
  if (!line.includes('-')) return undefined;
  const align: TableAlign[] = [];
  for (const cell of tableCells(line)) {
    const match = DELIMITER_CELL.exec(cell);
    if (match === null) return undefined;
    const [, left, right] = match;
    align.push(left && right ? 'center' : right ? 'right' : left ? 'left' : undefined);
  }
  return align;
}
