import { tableCells, tableDelimiter, type TableAlign } from './markdown-table.ts';

/**
 * The console's Markdown subset as plain data: fenced code, headings, bullet and numbered lists, GFM pipe tables,
 * inline code, bold, a whole-line _emphasis_ and <@user> mentions. Pure (no DOM), so it is tested in Node; the page turns
 * the blocks into elements with textContent only (render-markdown.ts), so nothing in an answer is ever markup.
 */

export type Inline =
  { kind: 'text'; text: string } | { kind: 'code'; text: string } | { kind: 'strong'; text: string } | { kind: 'mention'; user: string };

export type Block =
  /** One line of text: the page keeps the answer's line breaks. */
  | { kind: 'paragraph'; emphasis: boolean; inlines: Inline[] }
  /** `#` is h2 (the page's own title is the h1), down to h4. */
  | { kind: 'heading'; level: 2 | 3 | 4; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  /** `closed: false`: the answer ended inside the fence (still streaming, or cut). */
  | { kind: 'code'; text: string; closed: boolean }
  /** A GFM pipe table: every row has as many cells as the header (missing ones empty, extra ones dropped). */
  | { kind: 'table'; align: TableAlign[]; head: Inline[][]; rows: Inline[][][] };

const FENCE = /^(`{3,})/;
const HEADING = /^#{1,4} /;
const LIST_ITEM = /^\s*(?:[-*]|\d+[.)]) /;
const WHOLE_EMPHASIS = /^_(.+)_$/;
/** A mention's id is bounded, so a line of unclosed `<@` is read in linear time. */
const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|<@[^<>]{1,200}>)/;

/** Parses an answer line by line; every line is read once and no pattern backtracks over more than one line. */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let fence: { marker: string; lines: string[] } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence !== undefined) {
      if (line.trim() === fence.marker) {
        blocks.push({ kind: 'code', text: fence.lines.join('\n'), closed: true });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const open = FENCE.exec(line);
    if (open !== null) fence = { marker: open[1] ?? '```', lines: [] };
    else if (line.trim() === '') continue;
    else if (line.includes('|') && isTableStart(line, lines[i + 1])) {
      const table = readTable(lines, i);
      blocks.push(table.block);
      i = table.last;
    } else if (HEADING.test(line)) {
      const space = line.indexOf(' ');
      blocks.push({ kind: 'heading', level: Math.min(4, space + 1) as 2 | 3 | 4, inlines: markdownInlines(line.slice(space + 1)) });
    } else if (LIST_ITEM.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const item = markdownInlines(line.replace(LIST_ITEM, ''));
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: 'list', ordered, items: [item] });
    } else {
      const whole = WHOLE_EMPHASIS.exec(line);
      blocks.push(
        whole === null
          ? { kind: 'paragraph', emphasis: false, inlines: markdownInlines(line) }
          : { kind: 'paragraph', emphasis: true, inlines: markdownInlines(whole[1] ?? '') },
      );
    }
  }
  if (fence !== undefined) blocks.push({ kind: 'code', text: fence.lines.join('\n'), closed: false });
  return blocks;
}

/** A header row followed by a delimiter row with as many cells (GFM). */
function isTableStart(line: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  const align = tableDelimiter(next);
  return align !== undefined && align.length === tableCells(line).length;
}

/** The table starting at `start` (its header row) and the index of its last row: rows run to a blank line or one without a pipe. */
function readTable(lines: string[], start: number): { block: Block; last: number } {
  const head = tableCells(lines[start] ?? '');
  const align = (tableDelimiter(lines[start + 1] ?? '') ?? []).slice(0, head.length);
  const rows: Inline[][][] = [];
  let i = start + 2;
  for (; i < lines.length && isTableRow(lines[i] ?? ''); i++) {
    const cells = tableCells(lines[i] ?? '');
    rows.push(head.map((_, column) => markdownInlines(cells[column] ?? '')));
  }
  return { block: { kind: 'table', align, head: head.map(markdownInlines), rows }, last: i - 1 };
}

const isTableRow = (line: string) => line.includes('|') && line.trim() !== '';

/** Inline code, **bold** and <@user> mentions; everything else is text. */
export function markdownInlines(text: string): Inline[] {
  // Most lines and table cells are plain text: no split.
  if (!/[`*<]/.test(text)) return text === '' ? [] : [{ kind: 'text', text }];
  const inlines: Inline[] = [];
  for (const part of text.split(INLINE)) {
    if (part === '') continue;
    if (/^`[^`]+`$/.test(part)) inlines.push({ kind: 'code', text: part.slice(1, -1) });
    else if (/^\*\*[^*]+\*\*$/.test(part)) inlines.push({ kind: 'strong', text: part.slice(2, -2) });
    else if (/^<@[^<>]{1,200}>$/.test(part)) inlines.push({ kind: 'mention', user: part.slice(2, -1) });
    else inlines.push({ kind: 'text', text: part });
  }
  return inlines;
}
