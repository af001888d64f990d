/**
 * Teams renders a Markdown subset in bot messages: emphasis, headings (#, ##, ###), lists, quotes, links, inline
 * code and fenced code blocks, but no tables. So pipe tables become code blocks with aligned columns, deeper
 * headings become bold lines, Slack-style mentions (`<@U0123>`, used in shared outcome texts) become the plain
 * id, and an unclosed fence is closed. Everything else passes through as Claude wrote it.
 */

const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const DEEP_HEADING = /^ {0,3}#{4,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SLACK_MENTION = /<@([A-Za-z0-9:_.-]+)(?:\|[^>]*)?>/g;

type Align = 'left' | 'right' | 'center';

export function markdownToTeams(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (let index = 0; index < lines.length; ) {
    const line = lines[index] ?? '';
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      out.push(line);
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      index += 1;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      out.push(line);
      index += 1;
      continue;
    }
    const table = tableAt(lines, index);
    if (table !== undefined) {
      out.push('```', ...table.lines, '```');
      index = table.next;
      continue;
    }
    const heading = DEEP_HEADING.exec(line);
    out.push(heading === null ? line.replace(SLACK_MENTION, '$1') : `**${(heading[1] ?? '').replace(SLACK_MENTION, '$1')}**`);
    index += 1;
  }
  if (fence !== undefined) out.push(fence);
  return out.join('\n');
}

function tableAt(lines: readonly string[], start: number): { lines: string[]; next: number } | undefined {
  const header = lines[start] ?? '';
  const delimiter = lines[start + 1] ?? '';
  if (!header.includes('|') || !delimiter.includes('|') || !TABLE_DELIMITER.test(delimiter)) return undefined;
  const aligns = cells(delimiter).map(alignmentOf);
  const rows = [cells(header)];
  if (rows[0]?.length !== aligns.length) return undefined;
  let index = start + 2;
  for (; index < lines.length && (lines[index] ?? '').includes('|') && (lines[index] ?? '').trim() !== ''; index += 1) rows.push(cells(lines[index] ?? ''));
  const text = rows.map((row) => row.map(plainCell));
  const widths = aligns.map((_, k) => Math.max(...text.map((row) => [...(row[k] ?? '')].length)));
  const render = (row: readonly string[]) =>
    widths
      .map((width, k) => pad(row[k] ?? '', width, aligns[k] ?? 'left'))
      .join('  ')
      .trimEnd();
  const [head = [], ...body] = text;
  return { lines: [render(head), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(render)], next: index };
}

function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

function alignmentOf(cell: string): Align {
  if (cell.endsWith(':')) return cell.startsWith(':') ? 'center' : 'right';
  return 'left';
}

/** A code block shows marks literally: keep the words, drop the marks. */
function plainCell(cell: string): string {
  return cell
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === '' || label === url ? url : `${label} (${url})`))
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(SLACK_MENTION, '$1');
}

function pad(text: string, width: number, align: Align): string {
  const room = width - [...text].length;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
  return text + ' '.repeat(room);
}
