import { isTableDelimiter } from '../../../src/chat/markdown/markdown-lines.ts';
import { plainCell } from '../../../src/chat/markdown/plain-cell.ts';

type Align = 'left' | 'right' | 'center';

/**
 * Past these a table is not read as columns anyway, and padding every row to the widest cell could cost
 * rows × width: the rows are shown as they were written instead (still in the code block).
 */
const MAX_CELLS = 10_000;
const MAX_GROWTH = 4;

/** A header row and a delimiter row with as many cells: the start of a pipe table (GFM). */
export function isTableStart(header: string, delimiter: string): boolean {
  return (
    header.includes('|') &&
    delimiter.includes('|') &&
    isTableDelimiter(delimiter) &&
    splitCells(header).length === splitCells(delimiter).length
  );
}

/**
 * A pipe table (header, delimiter, body rows) as aligned monospace lines for a code block; undefined when the
 * header's cells do not match the delimiter's (GFM: not a table). Entities are decoded so that column widths
 * count what is shown; the caller escapes the block as a whole.
 */
export function renderTableLines(lines: readonly string[]): string[] | undefined {
  const [header = '', delimiter = '', ...body] = lines;
  const aligns = splitCells(delimiter).map(alignmentOf);
  const head = splitCells(header);
  if (head.length !== aligns.length) return undefined;
  if ((body.length + 1) * head.length > MAX_CELLS) return lines.map((line) => line.trim());
  const rows = [head, ...body.map(splitCells)];
  const columns = rows.reduce((most, row) => Math.max(most, row.length), 0);
  if (rows.length * columns > MAX_CELLS) return lines.map((line) => line.trim());
  const text = rows.map((row) => row.map(cellText));
  const widths = new Array<number>(columns).fill(0);
  const measured = text.map((row) =>
    row.map((cell, k) => {
      const width = displayWidth(cell);
      widths[k] = Math.max(widths[k] ?? 0, width);
      return width;
    }),
  );
  const rowChars = widths.reduce((sum, width) => sum + width + 2, 0);
  const inputChars = lines.reduce((sum, line) => sum + line.length + 1, 0);
  if (rows.length * rowChars > MAX_GROWTH * inputChars + 100_000) return lines.map((line) => line.trim());
  const render = (row: readonly string[], rowWidths: readonly number[]) =>
    widths
      .map((width, k) => pad(row[k] ?? '', width - (rowWidths[k] ?? 0), aligns[k] ?? 'left'))
      .join('  ')
      .trimEnd();
  const [headText = [], ...bodyText] = text;
  return [
    render(headText, measured[0] ?? []),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...bodyText.map((row, k) => render(row, measured[k + 1] ?? [])),
  ];
}

function splitCells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  if (!inner.includes('\\')) return inner.split('|').map((cell) => cell.trim());
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

function alignmentOf(delimiterCell: string): Align {
  if (delimiterCell.endsWith(':')) return delimiterCell.startsWith(':') ? 'center' : 'right';
  return 'left';
}

/** Cells are shown inside a code block, where Slack renders no marks: keep the words, drop the marks. */
function cellText(cell: string): string {
  return plainCell(cell).replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '');
}

function pad(text: string, room: number, align: Align): string {
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
  return text + ' '.repeat(room);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Emoji (✅, ❌, ⚠️) and CJK take two columns in Slack's monospace font; Claude puts emoji in tables. */
const WIDE =
  /\p{Emoji_Presentation}|\uFE0F|[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\uFF01-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  // Printable ASCII is one column per character: no need to segment it.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += WIDE.test(segment) ? 2 : 1;
  return width;
}
