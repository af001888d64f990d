import { isBlankCode, isLineBreakCode, isSpaceCode, skipBlanks } from '../../../src/chat/markdown/char-classes.ts';
import { applyEmphasis, isSpaceOr, isWordOr, type EmphasisRule } from '../../../src/chat/markdown/emphasis.ts';
import { scanInline, type InlineToken } from '../../../src/chat/markdown/inline-tokens.ts';
import { neutralSlackToken, NO_PING } from '../../../src/chat/markdown/neutral-slack-token.ts';
import { shownLink } from '../../../src/chat/markdown/shown-link.ts';
import { parseFenceClose, parseFenceOpen, parseHeading, withoutHardBreak } from '../../../src/chat/markdown/markdown-lines.ts';
import { isTableStart, renderTableLines } from './render-table-lines.ts';

/**
 * Slack does not render Markdown in message text; it has its own "mrkdwn". Claude answers in Markdown,
 * so the worker converts each answer before posting it. Code blocks and pipe tables are converted as
 * blocks; every other line by its block prefix (heading, bullet, quote, rule) and then its inline marks.
 * The text may be hostile (model output quoting cluster data, alert annotations): every step is a
 * linear scan, no pattern can backtrack, and nothing in it can ping or phish once posted: Slack's own
 * `<…>` tokens are turned into plain words (neutralSlackToken), `@here`-style words get a zero-width
 * space, and a link shows its host when its label says something else (shownLink). Our own mentions
 * (who asked, who approved) are added by the caller after conversion.
 */

/** Slack draws no rule; a line of box-drawing characters reads as one on desktop and mobile. */
const RULE = '─'.repeat(20);

/**
 * Private-use characters: `\uE000` holds the place of a protected span (spans are put back in order, since
 * emphasis and escaping never reorder text), `\uE002` is a pending bold mark.
 */
const PLACEHOLDER = '\uE000';
const BOLD = '\uE002';

interface ConvertedBlock {
  lines: string[];
  /** Index of the first line after the block. */
  next: number;
}

export function markdownToMrkdwn(markdown: string): string {
  // Drop the private-use characters used as placeholders so the input cannot forge one.
  const lines = markdown
    .replace(/\r\n?/g, '\n')
    .replace(/[\uE000-\uE002]/g, '')
    .split('\n');
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    if (lines[index] === '') {
      out.push('');
      index += 1;
      continue;
    }
    const block = convertCodeBlock(lines, index) ?? convertTable(lines, index);
    if (block !== undefined) {
      for (const line of block.lines) out.push(line);
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
  const open = parseFenceOpen(lines[start] ?? '');
  if (open === undefined) return undefined;
  const { indent, marker: fence, info } = open;
  // A backtick "fence" followed by more backticks is an inline span (```a```), as in CommonMark.
  if (fence.startsWith('`') && info.includes('`')) return undefined;
  const body: string[] = ['```'];
  let index = start + 1;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (closesFence(line, fence)) break;
    // Code inside a list item is indented like its fence; that indentation is not part of the code.
    body.push(escapeCode(line.slice(Math.min(indent.length, skipBlanks(line, 0)))));
  }
  // An unclosed fence runs to the end of the answer (CommonMark); Slack needs it closed.
  body.push('```');
  return { lines: body, next: index + 1 };
}

function closesFence(line: string, fence: string): boolean {
  const marker = parseFenceClose(line);
  return marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
}

/** Slack has no tables; a code block with aligned columns is the readable equivalent. */
function convertTable(lines: readonly string[], start: number): ConvertedBlock | undefined {
  const header = lines[start] ?? '';
  const delimiter = lines[start + 1] ?? '';
  if (!isTableStart(header, delimiter)) return undefined;
  let next = start + 2;
  while (next < lines.length && (lines[next] ?? '').includes('|')) next += 1;
  const rendered = renderTableLines(lines.slice(start, next)) ?? [];
  return { lines: ['```', ...rendered.map(escapeCode), '```'], next };
}

function convertLine(raw: string): string {
  // A trailing backslash or double space is a Markdown hard break; Slack keeps the newline anyway.
  const line = withoutHardBreak(raw);
  if (isHorizontalRule(line)) return RULE;
  const heading = parseHeading(line, { minHashes: 1, maxHashes: 6, textRequired: 'optional' });
  if (heading !== undefined) return convertHeading(heading);
  const quote = quoteText(line);
  if (quote !== undefined) {
    // Slack quotes do not nest: every level becomes one `>`.
    const inner = convertLine(quote);
    return inner === '' ? '>' : `> ${inner}`;
  }
  const bullet = bulletItem(line);
  if (bullet !== undefined) return `${bullet.indent}• ${convertListItem(bullet.text)}`;
  return convertInline(line);
}

/** `^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$`: three or more of one of `-*_`, blanks between. */
function isHorizontalRule(line: string): boolean {
  let at = 0;
  while (at < 3 && line.charCodeAt(at) === 32) at += 1;
  const mark = line.charCodeAt(at);
  if (mark !== 45 && mark !== 42 && mark !== 95) return false;
  let marks = 0;
  for (; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    if (code === mark) marks += 1;
    else if (!isBlankCode(code)) return false;
  }
  return marks >= 3;
}

/** `^ {0,3}(?:>[ \t]?)+(.*)$`: the text after every level of `>`. */
function quoteText(line: string): string | undefined {
  let at = 0;
  while (at < 3 && line.charCodeAt(at) === 32) at += 1;
  if (line.charCodeAt(at) !== 62) return undefined;
  while (line.charCodeAt(at) === 62) {
    at += 1;
    if (isBlankCode(line.charCodeAt(at))) at += 1;
  }
  return hasLineBreak(line, at) ? undefined : line.slice(at);
}

/** `^([ \t]*)[-*+][ \t]+(\S.*)$`. */
function bulletItem(line: string): { indent: string; text: string } | undefined {
  const markAt = skipBlanks(line, 0);
  const mark = line.charCodeAt(markAt);
  if ((mark !== 45 && mark !== 42 && mark !== 43) || !isBlankCode(line.charCodeAt(markAt + 1))) return undefined;
  const textAt = skipBlanks(line, markAt + 1);
  if (textAt === line.length || isSpaceCode(line.charCodeAt(textAt)) || hasLineBreak(line, textAt)) return undefined;
  return { indent: line.slice(0, markAt), text: line.slice(textAt) };
}

function hasLineBreak(text: string, from: number): boolean {
  for (let at = from; at < text.length; at += 1) if (isLineBreakCode(text.charCodeAt(at))) return true;
  return false;
}

/** Slack has no headings; a bold line is what people write by hand. Bold inside it would toggle it off. */
function convertHeading(text: string): string {
  const inner = convertInline(text, '');
  return inner === '' ? '' : `*${inner}*`;
}

function convertListItem(text: string): string {
  const box = /^\[([ xX])\][ \t]+/.exec(text);
  if (box === null) return convertInline(text);
  return `${box[1] === ' ' ? '☐' : '☑'} ${convertInline(text.slice(box[0].length))}`;
}

/**
 * Protects spans that must stay as they are behind placeholders, converts emphasis in the rest,
 * escapes it, then puts the spans back. `boldMark` is `''` where bold would be redundant (headings).
 */
function convertInline(text: string, boldMark = '*'): string {
  // Nothing to protect, convert or escape: most lines of an answer, and every line of some hostile ones.
  if (!INLINE_SYNTAX.test(text)) return text;
  const kept: string[] = [];
  let marked = '';
  let last = 0;
  for (const token of scanInline(text)) {
    kept.push(protectToken(token));
    marked += `${text.slice(last, token.start)}${PLACEHOLDER}${token.kind === 'bare' ? token.url.slice(trimUrl(token.url).length) : ''}`;
    last = token.end;
  }
  marked += text.slice(last);
  const formatted = withoutBroadcastWords(escapeText(convertEmphasis(marked)).replaceAll(BOLD, boldMark));
  if (kept.length === 0) return formatted;
  let next = 0;
  return formatted.replace(/\uE000/g, () => kept[next++] ?? '');
}

/** What a line needs for convertInline to change it: a token, an emphasis mark, a character Slack escapes, an `@`. */
const INLINE_SYNTAX = /[\\`<>[!*_~&@]|https?:\/\//;

/** `@channel`, `@here`, `@everyone` as words: only a ping with `link_names`, which we never set; inert all the same. */
const BROADCAST_WORD = /@(?=(?:channel|here|everyone)(?![\w-]))/gi;

export function withoutBroadcastWords(text: string): string {
  return text.includes('@') ? text.replace(BROADCAST_WORD, `@${NO_PING}`) : text;
}

/** What a protected span becomes; a bare URL's trailing punctuation is left outside it by convertInline. */
function protectToken(token: InlineToken): string {
  switch (token.kind) {
    case 'escaped':
      return escapeText(token.char);
    case 'code':
      return `\`${escapeCode(trimCodeSpan(token.code))}\``;
    case 'slack': {
      const neutral = neutralSlackToken(token.token);
      return neutral.kind === 'text' ? escapeText(neutral.text) : slackLinkToken(neutral.url, neutral.label);
    }
    case 'link':
      return slackLink(token.url, token.label);
    case 'bare':
      // Sentence punctuation after a URL is not part of it; neither is a `)` that closes a parenthesis.
      return trimUrl(token.url);
  }
}

/** CommonMark strips one space each side of a code span so that `` ` `` can be written. */
function trimCodeSpan(code: string): string {
  return code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '' ? code.slice(1, -1) : code;
}

/** A Markdown link as Slack's `<url|label>`, shown so that it cannot hide where it goes (shownLink). */
function slackLink(url: string, label: string): string {
  // Slack formats no marks in a link label: they are dropped.
  const text = label.replace(/\*\*|__|~~|`/g, '').trim();
  const shown = shownLink(url, text);
  return shown === undefined ? escapeText(text === '' ? url : `${text} (${url})`) : slackLinkToken(shown.url, shown.label);
}

/**
 * Slack's `<url|label>`. The URL keeps its `&` (Slack reads it as it is) but `|` and `>` would end the token
 * early, so they are percent-encoded; the label is plain text with `<` and `>` escaped.
 */
function slackLinkToken(url: string, label: string | undefined): string {
  const target = url.replaceAll('|', '%7C').replaceAll('>', '%3E');
  return label === undefined ? `<${target}>` : `<${target}|${label.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}>`;
}

/** Drops trailing sentence punctuation and unbalanced closing parentheses, counting once instead of per step. */
function trimUrl(url: string): string {
  let opens = 0;
  let closes = 0;
  for (let at = 0; at < url.length; at += 1) {
    if (url.charCodeAt(at) === 40) opens += 1;
    else if (url.charCodeAt(at) === 41) closes += 1;
  }
  let end = url.length;
  for (; end > 0; end -= 1) {
    const last = url.charAt(end - 1);
    const unbalanced = last === ')' && opens < closes;
    if (!('.,;:!?\'"*_~'.includes(last) || unbalanced)) break;
    if (last === ')') closes -= 1;
    else if (last === '(') opens -= 1;
  }
  return url.slice(0, end);
}

const starOrWord = isWordOr('*');
const spaceOrStar = isSpaceOr('*');
const spaceOrUnderscore = isSpaceOr('_');
const spaceOrTilde = isSpaceOr('~');
const underscoreOrWord = isWordOr('_');

/** Markdown `**b**`/`__b__` → Slack `*b*`, `*i*` → `_i_`, `~~s~~` → `~s~`; `_i_` already is Slack's italic. */
const EMPHASIS: EmphasisRule[] = [
  // Bold becomes a private mark first so the single-`*` italic rule cannot see it.
  {
    delimiter: '***',
    opens: (b, a) => !starOrWord(b) && !spaceOrStar(a),
    closes: (b, a) => !spaceOrStar(b) && !starOrWord(a),
    wrap: (c) => `${BOLD}_${c}_${BOLD}`,
  },
  {
    delimiter: '**',
    opens: (b, a) => b !== 42 && !spaceOrStar(a),
    closes: (b, a) => !spaceOrStar(b) && a !== 42,
    wrap: (c) => `${BOLD}${c}${BOLD}`,
  },
  {
    delimiter: '__',
    opens: (b, a) => !underscoreOrWord(b) && !spaceOrUnderscore(a),
    closes: (b, a) => !spaceOrUnderscore(b) && !underscoreOrWord(a),
    wrap: (c) => `${BOLD}${c}${BOLD}`,
  },
  {
    delimiter: '*',
    opens: (b, a) => !starOrWord(b) && !spaceOrStar(a),
    closes: (b, a) => !spaceOrStar(b) && !starOrWord(a),
    wrap: (c) => `_${c}_`,
  },
  {
    delimiter: '~~',
    opens: (b, a) => b !== 126 && !spaceOrTilde(a),
    closes: (b, a) => !spaceOrTilde(b) && a !== 126,
    wrap: (c) => `~${c}~`,
  },
];

function convertEmphasis(text: string): string {
  return EMPHASIS.reduce(applyEmphasis, text);
}

/**
 * Slack reads `&`, `<` and `>` as control characters. In Markdown text an entity Claude wrote already
 * means the character (`&lt;` shows `<`), so existing `&amp;`/`&lt;`/`&gt;` are kept, not escaped twice.
 */
export function escapeText(text: string): string {
  return text.replace(/&(?!(?:amp|lt|gt);)|[<>]/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** In code Markdown shows entities literally, and Slack still decodes them, so every `&` is escaped. */
export function escapeCode(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char) : text;
}
