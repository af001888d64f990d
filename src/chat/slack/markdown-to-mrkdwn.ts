/**
 * Slack does not render Markdown in message text; it has its own "mrkdwn". Claude answers in Markdown,
 * so the worker converts each answer before posting it. Code blocks and pipe tables are converted as
 * blocks; every other line by its block prefix (heading, bullet, quote, rule) and then its inline marks.
 */

const HORIZONTAL_RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const QUOTE = /^ {0,3}(?:>[ \t]?)+(.*)$/;
const BULLET = /^([ \t]*)[-*+][ \t]+(\S.*)$/;
const TASK_BOX = /^\[([ xX])\][ \t]+/;
const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Slack draws no rule; a line of box-drawing characters reads as one on desktop and mobile. */
const RULE = '─'.repeat(20);

/**
 * Inline spans that must not be touched by emphasis conversion or escaping, leftmost first:
 * backslash escapes, code spans, Slack's own `<…>` tokens, Markdown links and images, bare URLs.
 */
const INLINE_TOKEN = new RegExp(
  [
    String.raw`\\(?<escaped>[!-/:-@[-\x60{-~])`,
    String.raw`(?<ticks>\x60+)(?<code>.+?)(?<!\x60)\k<ticks>(?!\x60)`,
    String.raw`(?<slack><(?:[@#!][^<>\s|]+|(?:https?|mailto):[^<>\s|]+)(?:\|[^<>\n]*)?>)`,
    String.raw`!?\[(?<label>[^\]\n]*)\]\([ \t]*<?(?<url>(?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:[ \t]+(?:"[^"]*"|'[^']*'))?[ \t]*\)`,
    String.raw`(?<bare>\bhttps?:\/\/[^\s<>]+)`,
  ].join('|'),
  'g',
);

/** Private-use characters: a placeholder is `\uE000<index>\uE001`, a pending bold mark is `\uE002`. */
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const BOLD = '\uE002';

type Align = 'left' | 'right' | 'center';

interface ConvertedBlock {
  lines: string[];
  /** Index of the first line after the block. */
  next: number;
}

export function markdownToMrkdwn(markdown: string): string {
  // Drop the private-use characters used as placeholders so the input cannot forge one.
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/[\uE000-\uE002]/g, '').split('\n');
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const block = convertCodeBlock(lines, index) ?? convertTable(lines, index);
    if (block !== undefined) {
      out.push(...block.lines);
      index = block.next;
    } else {
      out.push(convertLine(lines[index] ?? ''));
      index += 1;
    }
  }
  return out.join('\n');
}

/** A fenced code block: content kept verbatim (only escaped), language tag dropped, Slack has none. */
function convertCodeBlock(lines: readonly string[], start: number): ConvertedBlock | undefined {
  const open = FENCE_OPEN.exec(lines[start] ?? '');
  if (open === null) return undefined;
  const [, indent = '', fence = '', info = ''] = open;
  // A backtick "fence" followed by more backticks is an inline span (```a```), as in CommonMark.
  if (fence.startsWith('`') && info.includes('`')) return undefined;
  const body: string[] = [];
  let index = start + 1;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (closesFence(line, fence)) break;
    // Code inside a list item is indented like its fence; that indentation is not part of the code.
    body.push(escapeCode(line.replace(new RegExp(`^[ \\t]{0,${indent.length}}`), '')));
  }
  // An unclosed fence runs to the end of the answer (CommonMark); Slack needs it closed.
  return { lines: ['```', ...body, '```'], next: index + 1 };
}

function closesFence(line: string, fence: string): boolean {
  const marker = FENCE_CLOSE.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
}

/** Slack has no tables; a code block with aligned columns is the readable equivalent. */
function convertTable(lines: readonly string[], start: number): ConvertedBlock | undefined {
  const header = lines[start] ?? '';
  const delimiter = lines[start + 1] ?? '';
  if (!header.includes('|') || !delimiter.includes('|') || !TABLE_DELIMITER.test(delimiter)) return undefined;
  const aligns = splitCells(delimiter).map(alignmentOf);
  const rows = [splitCells(header)];
  if (rows[0]?.length !== aligns.length) return undefined; // GFM: not a table
  let index = start + 2;
  for (; index < lines.length && (lines[index] ?? '').includes('|'); index += 1) rows.push(splitCells(lines[index] ?? ''));
  const text = rows.map((row) => row.map(cellText));
  return { lines: ['```', ...renderTable(text, aligns).map(escapeCode), '```'], next: index };
}

function splitCells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

function alignmentOf(delimiterCell: string): Align {
  if (delimiterCell.endsWith(':')) return delimiterCell.startsWith(':') ? 'center' : 'right';
  return 'left';
}

/**
 * Cells are shown inside a code block, where Slack renders no marks: keep the words, drop the marks.
 * Entities are decoded so that column widths count what is shown; the block is escaped as a whole.
 */
function cellText(cell: string): string {
  return cell
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === '' || label === url ? url : `${label} (${url})`))
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '');
}

function renderTable(rows: readonly string[][], aligns: readonly Align[]): string[] {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, k) => Math.max(...rows.map((row) => displayWidth(row[k] ?? ''))));
  const render = (row: readonly string[]) =>
    widths
      .map((width, k) => pad(row[k] ?? '', width, aligns[k] ?? 'left'))
      .join('  ')
      .trimEnd();
  const [header = [], ...body] = rows;
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(render)];
}

function pad(text: string, width: number, align: Align): string {
  const room = width - displayWidth(text);
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
  return text + ' '.repeat(room);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Emoji (✅, ❌, ⚠️) and CJK take two columns in Slack's monospace font; Claude puts emoji in tables. */
const WIDE = /\p{Emoji_Presentation}|\uFE0F|[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\uFF01-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += WIDE.test(segment) ? 2 : 1;
  return width;
}

function convertLine(raw: string): string {
  // A trailing backslash or double space is a Markdown hard break; Slack keeps the newline anyway.
  const line = raw.replace(/(?:\\|[ \t]+)$/, '');
  if (HORIZONTAL_RULE.test(line)) return RULE;
  const heading = HEADING.exec(line);
  if (heading !== null) return convertHeading(heading[1] ?? '');
  const quote = QUOTE.exec(line);
  if (quote !== null) {
    // Slack quotes do not nest: every level becomes one `>`.
    const inner = convertLine(quote[1] ?? '');
    return inner === '' ? '>' : `> ${inner}`;
  }
  const bullet = BULLET.exec(line);
  if (bullet !== null) return `${bullet[1] ?? ''}• ${convertListItem(bullet[2] ?? '')}`;
  return convertInline(line);
}

/** Slack has no headings; a bold line is what people write by hand. Bold inside it would toggle it off. */
function convertHeading(text: string): string {
  const inner = convertInline(text, '');
  return inner === '' ? '' : `*${inner}*`;
}

function convertListItem(text: string): string {
  const box = TASK_BOX.exec(text);
  if (box === null) return convertInline(text);
  return `${box[1] === ' ' ? '☐' : '☑'} ${convertInline(text.slice(box[0].length))}`;
}

/**
 * Protects spans that must stay as they are behind placeholders, converts emphasis in the rest,
 * escapes it, then puts the spans back. `boldMark` is `''` where bold would be redundant (headings).
 */
function convertInline(text: string, boldMark = '*'): string {
  const kept: string[] = [];
  const keep = (mrkdwn: string) => `\uE000${kept.push(mrkdwn) - 1}\uE001`;
  let marked = '';
  let last = 0;
  for (const match of text.matchAll(INLINE_TOKEN)) {
    marked += text.slice(last, match.index) + protectToken(match, keep);
    last = match.index + match[0].length;
  }
  marked += text.slice(last);
  const formatted = escapeText(convertEmphasis(marked)).replaceAll(BOLD, boldMark);
  return formatted.replace(PLACEHOLDER, (_, index: string) => kept[Number(index)] ?? '');
}

function protectToken(match: RegExpExecArray, keep: (mrkdwn: string) => string): string {
  const { escaped, code, slack, label, url, bare } = match.groups ?? {};
  if (escaped !== undefined) return keep(escapeText(escaped));
  if (code !== undefined) return keep(`\`${escapeCode(trimCodeSpan(code))}\``);
  if (slack !== undefined) return keep(slack);
  if (label !== undefined && url !== undefined) return keep(slackLink(url, label));
  if (bare === undefined) return match[0];
  // Sentence punctuation after a URL is not part of it; neither is a `)` that closes a parenthesis.
  const trimmed = trimUrl(bare);
  return keep(trimmed) + bare.slice(trimmed.length);
}

/** CommonMark strips one space each side of a code span so that `` ` `` can be written. */
function trimCodeSpan(code: string): string {
  return code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '' ? code.slice(1, -1) : code;
}

/**
 * Slack's `<url|label>`. The URL keeps its `&` (Slack reads it as it is) but `|` and `>` would end the
 * token early, so they are percent-encoded; the label is plain text, since Slack formats no marks in it.
 */
function slackLink(url: string, label: string): string {
  const target = url.replaceAll('|', '%7C').replaceAll('>', '%3E');
  const text = label.replace(/\*\*|__|~~|`/g, '').replaceAll('<', '&lt;').replaceAll('>', '&gt;').trim();
  return text === '' || text === url ? `<${target}>` : `<${target}|${text}>`;
}

function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1] ?? '';
    const head = url.slice(0, end);
    const unbalanced = last === ')' && head.split('(').length < head.split(')').length;
    if (!(/[.,;:!?'"*_~]/.test(last) || unbalanced)) return head;
    end -= 1;
  }
}

/** Markdown `**b**`/`__b__` → Slack `*b*`, `*i*` → `_i_`, `~~s~~` → `~s~`; `_i_` already is Slack's italic. */
function convertEmphasis(text: string): string {
  // Bold becomes a private mark first so the single-`*` italic rule cannot see it.
  return text
    .replace(/(?<![*\w])\*\*\*(?![\s*])(.+?)(?<![\s*])\*\*\*(?![*\w])/g, `${BOLD}_$1_${BOLD}`)
    .replace(/(?<!\*)\*\*(?![\s*])(.+?)(?<![\s*])\*\*(?!\*)/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![\w_])__(?![\s_])(.+?)(?<![\s_])__(?![\w_])/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])/g, '_$1_')
    .replace(/(?<!~)~~(?![\s~])(.+?)(?<![\s~])~~(?!~)/g, '~$1~');
}

/**
 * Slack reads `&`, `<` and `>` as control characters. In Markdown text an entity Claude wrote already
 * means the character (`&lt;` shows `<`), so existing `&amp;`/`&lt;`/`&gt;` are kept, not escaped twice.
 */
function escapeText(text: string): string {
  return text.replace(/&(?!(?:amp|lt|gt);)/g, '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** In code Markdown shows entities literally, and Slack still decodes them, so every `&` is escaped. */
function escapeCode(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
