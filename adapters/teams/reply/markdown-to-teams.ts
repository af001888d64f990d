import { scanInline } from '../../../src/chat/markdown/inline-tokens.ts';
import { fenceMarkerAt, isTableDelimiter, parseHeading } from '../../../src/chat/markdown/markdown-lines.ts';
import { neutralSlackToken } from '../../../src/chat/markdown/neutral-slack-token.ts';
import { nextIndexFinder } from '../../../src/chat/markdown/next-index.ts';
import { plainCell } from '../../../src/chat/markdown/plain-cell.ts';
import { shownLink } from '../../../src/chat/markdown/shown-link.ts';

/**
 * Teams renders a Markdown subset in bot messages: emphasis, headings (#, ##, ###), lists, quotes, links, inline
 * code and fenced code blocks, but no tables. So pipe tables become code blocks with aligned columns, deeper
 * headings become bold lines, Slack-style mentions (`<@U0123>`, used in shared outcome texts) become the plain
 * id, and an unclosed fence is closed. Everything else passes through as Claude wrote it, except what could
 * ping or phish once posted, since the text may be hostile: `<` that could open an HTML tag or an `<at>` mention
 * is escaped (in code too: we cannot rely on how Teams renders a tag there), other Slack tokens become plain words,
 * and a link shows its host when its label says something else (shownLink). Every step is a linear scan.
 */

type Align = 'left' | 'right' | 'center';

/** Past this many cells a table is shown as written (still in a code block) rather than padded into columns. */
const MAX_CELLS = 10_000;

export function markdownToTeams(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (let index = 0; index < lines.length;) {
    const line = lines[index] ?? '';
    const marker = fenceMarkerAt(line);
    if (fence !== undefined) {
      out.push(escapeTags(line));
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      index += 1;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      out.push(escapeTags(line));
      index += 1;
      continue;
    }
    const table = tableAt(lines, index);
    if (table !== undefined) {
      out.push('```');
      for (const row of table.lines) out.push(escapeTags(row));
      out.push('```');
      index = table.next;
      continue;
    }
    const heading = parseHeading(line, { minHashes: 4, maxHashes: 6, textRequired: 'blank-separated' });
    out.push(heading === undefined ? neutralLine(line) : `**${neutralLine(heading)}**`);
    index += 1;
  }
  if (fence !== undefined) out.push(fence);
  return out.join('\n');
}

function tableAt(lines: readonly string[], start: number): { lines: string[]; next: number } | undefined {
  const header = lines[start] ?? '';
  const delimiter = lines[start + 1] ?? '';
  if (!header.includes('|') || !delimiter.includes('|') || !isTableDelimiter(delimiter)) return undefined;
  const aligns = cells(delimiter).map(alignmentOf);
  const head = cells(header);
  if (head.length !== aligns.length) return undefined;
  let next = start + 2;
  for (; next < lines.length && (lines[next] ?? '').includes('|') && (lines[next] ?? '').trim() !== ''; next += 1);
  if ((next - start - 1) * aligns.length > MAX_CELLS) return { lines: lines.slice(start, next).map((line) => line.trim()), next };
  const text = [head, ...lines.slice(start + 2, next).map(cells)].map((row) => row.map(plainTeamsCell));
  const widths = aligns.map((_, k) => text.reduce((most, row) => Math.max(most, [...(row[k] ?? '')].length), 0));
  const render = (row: readonly string[]) =>
    widths
      .map((width, k) => pad(row[k] ?? '', width, aligns[k] ?? 'left'))
      .join('  ')
      .trimEnd();
  const [headText = [], ...body] = text;
  return { lines: [render(headText), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(render)], next };
}

function cells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  if (!inner.includes('\\')) return inner.split('|').map((cell) => cell.trim());
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

function alignmentOf(cell: string): Align {
  if (cell.endsWith(':')) return cell.startsWith(':') ? 'center' : 'right';
  return 'left';
}

/** A code block shows marks literally: keep the words, drop the marks. */
function plainTeamsCell(cell: string): string {
  return unwrapMentions(plainCell(cell));
}

function pad(text: string, width: number, align: Align): string {
  const room = width - [...text].length;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
  return text + ' '.repeat(room);
}

/** `<@([A-Za-z0-9:_.-]+)(?:\|[^>]*)?>` → the id; the label's closing `>` is found once for all openers before it. */
function unwrapMentions(text: string): string {
  if (!text.includes('<@')) return text;
  const closing = nextIndexFinder(text, (code) => code === 62);
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('<@'); at !== -1; at = text.indexOf('<@', at + 1)) {
    let end = at + 2;
    while (end < text.length && /[A-Za-z0-9:_.-]/.test(text.charAt(end))) end += 1;
    if (end === at + 2) continue;
    const id = text.slice(at + 2, end);
    if (text.charCodeAt(end) === 124) end = closing(end);
    if (text.charCodeAt(end) !== 62) continue;
    out += text.slice(copied, at) + id;
    copied = end + 1;
    at = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * One line of text outside code blocks, made safe to post: `<@id>` (our outcome texts) becomes the id, other
 * Slack tokens and links are neutralised, and `<` before a letter, `/`, `!` or `?` (the start of a tag: `<at>`,
 * `<a href>`, `<!--`) becomes `&lt;`, in code spans too.
 */
function neutralLine(line: string): string {
  if (!line.includes('<') && !line.includes('](')) return line;
  let out = '';
  let last = 0;
  for (const token of scanInline(line)) {
    if (token.kind !== 'slack' && token.kind !== 'link') continue;
    out += line.slice(last, token.start) + (token.kind === 'slack' ? teamsToken(token.token) : teamsLink(token.url, token.label));
    last = token.end;
  }
  return escapeTags(out + line.slice(last));
}

function teamsToken(token: string): string {
  const mention = unwrapMentions(token);
  if (mention !== token) return mention;
  const neutral = neutralSlackToken(token);
  return neutral.kind === 'text' ? neutral.text : teamsLinkTo(neutral.url, neutral.label);
}

function teamsLink(url: string, label: string): string {
  const shown = shownLink(url, label.trim());
  return shown === undefined ? `${label} (${url})` : teamsLinkTo(shown.url, shown.label);
}

/** A Markdown link Teams renders, or the bare URL, which Teams links by itself. */
function teamsLinkTo(url: string, label: string | undefined): string {
  return label === undefined ? url : `[${label.replaceAll('[', '(').replaceAll(']', ')')}](${url})`;
}

function escapeTags(text: string): string {
  return text.replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}
