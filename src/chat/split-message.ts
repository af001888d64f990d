import { indexText, type TextIndex } from './text-index.ts';

/**
 * Slack accepts up to 40,000 characters of text in one message, but a wall of that size is unreadable
 * in a thread; the bot posts long answers as several messages of about this size.
 */
export const SLACK_MESSAGE_CHARS = 3500;

/** Below this there is no room for text between a re-opened and a closing code fence. */
const MIN_CHARS = 16;

interface Fence {
  /** The fence line that opened the block, language tag included. */
  opener: string;
  indent: string;
  marker: string;
}

interface Line {
  /** Offsets from the start of the rest of the text (where the next chunk starts). */
  start: number;
  /** Index of the line's `\n`, or the end of the text. */
  end: number;
  role: 'open' | 'close' | 'code' | 'text';
  blank: boolean;
  /** The code block the line's content is in (undefined for fence lines and text). */
  inside: Fence | undefined;
  /** The code block still open after the line. */
  after: Fence | undefined;
}

interface Cut {
  /** The chunk is the next `at` characters, trimmed. */
  at: number;
  /** The code block open at the cut, which this chunk closes and the next re-opens. */
  inside: Fence | undefined;
}

/** The whole text, indexed once. */
interface Source {
  text: string;
  index: TextIndex;
}

export interface SplitOptions {
  /** Stop after this many chunks (a caller that shows only the first needs no more). */
  maxChunks?: number;
}

/**
 * Splits an answer into messages of at most `maxChars`, cutting at a paragraph, else a line, else a
 * space, else anywhere. A cut inside a code block closes the fence in one chunk and re-opens it in the
 * next, so each message renders on its own. Only whitespace at a cut is dropped; blank text gives `[]`.
 * Each chunk costs time in proportion to its size, whatever the text (a single megabyte-long line, a
 * million newlines): the text is indexed once and a chunk looks only at its own window.
 */
export function splitMessage(text: string, maxChars: number, { maxChunks = Infinity }: SplitOptions = {}): string[] {
  if (!Number.isInteger(maxChars) || maxChars < MIN_CHARS) {
    throw new RangeError(`maxChars must be an integer of at least ${MIN_CHARS}, got ${maxChars}`);
  }
  const chunks: string[] = [];
  const whole = text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
  if (whole === '') return chunks;
  let source: Source | undefined;
  let offset = 0;
  let open: Fence | undefined;
  while (chunks.length < maxChunks) {
    const reopen = open === undefined ? '' : `${fenceLines(open, maxChars).open}\n`;
    const budget = maxChars - reopen.length;
    if (whole.length - offset <= budget) {
      chunks.push(reopen + whole.slice(offset));
      break;
    }
    source ??= { text: whole, index: indexText(whole) };
    // Indentation wider than a message cannot be kept; dropping it keeps every chunk non-blank.
    const firstText = at(source.index.nonSpace, offset);
    if (firstText - offset >= budget / 2) offset = firstText;
    const cut = chooseCut(source, offset, open, budget, maxChars);
    const close = cut.inside === undefined ? '' : `\n${fenceLines(cut.inside, maxChars).close}`;
    chunks.push(reopen + whole.slice(offset, offset + cut.at).trimEnd() + close);
    offset = afterCutWhitespace(source, offset + cut.at);
    open = cut.inside;
    if (at(source.index.nonSpace, offset) >= whole.length) break;
  }
  return chunks;
}

const at = (table: Int32Array, position: number): number => table[position] ?? table.length - 1;

/** A cut at a line drops the blank lines but keeps the next line's indentation (code, nested lists): `^\s*\n|^[ \t]+`. */
function afterCutWhitespace({ text, index }: Source, position: number): number {
  const firstText = at(index.nonSpace, position);
  for (let k = firstText - 1; k >= position; k -= 1) if (text.charCodeAt(k) === 10) return k + 1;
  return at(index.nonBlank, position);
}

/**
 * The fence lines to close and re-open a block with. A long language tag is dropped rather than let
 * the fences crowd out the text.
 */
function fenceLines(fence: Fence, maxChars: number): { open: string; close: string } {
  if (fence.opener.length <= maxChars / 4) return { open: fence.opener, close: fence.indent + fence.marker };
  if (fence.marker.length <= maxChars / 4) return { open: fence.marker, close: fence.marker };
  throw new RangeError(`maxChars ${maxChars} is too small for the code fence ${fence.marker}`);
}

function closingCost(fence: Fence | undefined, maxChars: number): number {
  return fence === undefined ? 0 : 1 + fenceLines(fence, maxChars).close.length;
}

/**
 * Candidates in order of preference; within a kind the latest that fits wins, but only if it fills at
 * least half the message, so that one early blank line does not produce a stream of short messages.
 * Each kind yields only its latest fitting cut (found from the end), and spaces are looked at only when
 * no line boundary will do.
 */
function chooseCut(source: Source, offset: number, open: Fence | undefined, budget: number, maxChars: number): Cut {
  const lines = scanLines(source, offset, open, budget, maxChars);
  const firstText = at(source.index.nonSpace, offset) - offset;
  const fits = (cut: Cut) => cut.at > firstText && cut.at + closingCost(cut.inside, maxChars) <= budget;
  const kinds: (() => Cut | undefined)[] = [
    () => latestFitting(blockCuts(lines), fits),
    () => latestFitting(lineCuts(lines, false), fits),
    () => latestFitting(lineCuts(lines, true), fits),
    () => latestFittingSpace(source, offset, lines, budget, fits),
  ];
  const latest: (Cut | undefined)[] = [];
  for (const kind of kinds) {
    const cut = kind();
    latest.push(cut);
    if (cut !== undefined && cut.at >= budget / 2) return cut;
  }
  return latest.find((cut) => cut !== undefined) ?? hardCut(source, offset, lines, budget, maxChars);
}

function latestFitting(cuts: Iterable<Cut>, fits: (cut: Cut) => boolean): Cut | undefined {
  let latest: Cut | undefined;
  for (const cut of cuts) if (fits(cut)) latest = cut;
  return latest;
}

/** The lines that start within the budget, and one more so the last boundary knows its neighbour. */
function scanLines(source: Source, offset: number, open: Fence | undefined, budget: number, maxChars: number): Line[] {
  const { text, index } = source;
  const lines: Line[] = [];
  let inside = open;
  let start = 0;
  while (start <= budget + 1 && offset + start < text.length) {
    const from = offset + start;
    const to = at(index.lineEnd, from);
    const line = classifyLine(source, from, to, inside, maxChars);
    lines.push({ start, end: to - offset, blank: at(index.nonSpace, from) >= to, ...line });
    inside = line.after;
    start = to - offset + 1;
  }
  return lines;
}

/**
 * A line's role, from the tables: `^[ \t]*(`{3,}|~{3,})[ \t]*$` closes the open block, `^([ \t]*)(`{3,}|~{3,})(.*)$`
 * opens one. A fence too long to re-open in a message (over a quarter of it) is read as text.
 */
function classifyLine(
  { text, index }: Source,
  from: number,
  to: number,
  inside: Fence | undefined,
  maxChars: number,
): Pick<Line, 'role' | 'inside' | 'after'> {
  const markerStart = at(index.nonBlank, from);
  const code = text.charCodeAt(markerStart);
  const markerEnd = markerStart < to && (code === 96 || code === 126) ? at(index.runEnd, markerStart) : markerStart;
  const marker = markerEnd - markerStart >= 3 ? text.slice(markerStart, markerEnd) : undefined;
  if (inside !== undefined) {
    const closes =
      marker !== undefined &&
      at(index.nonBlank, markerEnd) >= to &&
      marker[0] === inside.marker[0] &&
      marker.length >= inside.marker.length;
    return closes ? { role: 'close', inside: undefined, after: undefined } : { role: 'code', inside, after: inside };
  }
  // `.` stops at `\r` and U+2028/9: the info string must run to the line's end without one.
  const opens =
    marker !== undefined &&
    marker.length <= maxChars / 4 &&
    at(index.lineBreak, markerEnd) >= to &&
    (code !== 96 || at(index.backtick, markerEnd) >= to);
  if (!opens) return { role: 'text', inside: undefined, after: undefined };
  return { role: 'open', inside: undefined, after: { opener: text.slice(from, to), indent: text.slice(from, markerStart), marker } };
}

/** Boundaries between blocks outside code: at blank lines and around code blocks. */
function* blockCuts(lines: readonly Line[]): Generator<Cut> {
  for (let k = 0; k + 1 < lines.length; k += 1) {
    const [line, next] = [lines[k] as Line, lines[k + 1] as Line];
    if (line.after === undefined && (line.blank || next.blank || line.role === 'close' || next.role === 'open'))
      yield { at: line.end, inside: undefined };
  }
}

function* lineCuts(lines: readonly Line[], inCode: boolean): Generator<Cut> {
  for (let k = 0; k + 1 < lines.length; k += 1) {
    const [line, next] = [lines[k] as Line, lines[k + 1] as Line];
    // In code, right after the opening fence or right before the closing one would leave an empty block.
    const boundary = inCode ? line.after !== undefined && line.role !== 'open' && next.role !== 'close' : line.after === undefined;
    if (boundary) yield { at: line.end, inside: line.after };
  }
}

/**
 * The latest space after a line's indentation, on a text or code line, outside Slack tokens and inline code,
 * that fits; only positions up to the budget are candidates, since no later cut fits.
 */
function latestFittingSpace(
  source: Source,
  offset: number,
  lines: readonly Line[],
  budget: number,
  fits: (cut: Cut) => boolean,
): Cut | undefined {
  const { text, index } = source;
  const tokens = unbreakableSpans(source, offset, offset + budget + 1);
  let latest: Cut | undefined;
  let token = 0;
  for (const line of lines) {
    if (line.role === 'open' || line.role === 'close') continue;
    const firstText = at(index.nonSpace, offset + line.start);
    const last = Math.min(offset + line.end, offset + budget + 1);
    for (let k = firstText + 1; k < last; k += 1) {
      const code = text.charCodeAt(k);
      if (code !== 32 && code !== 9) continue;
      while (token < tokens.length && (tokens[token]?.[1] ?? 0) <= k) token += 1;
      const inToken = line.role === 'text' && (tokens[token]?.[0] ?? Infinity) < k;
      const cut = { at: k - offset, inside: line.inside };
      if (!inToken && fits(cut)) latest = cut;
    }
  }
  return latest;
}

/**
 * What `/<[^<>\n]*>|`[^`\n]+`/g` finds from `from` on (Slack `<url|label>` tokens and inline code, where a cut
 * at a space breaks the rendering), for matches starting before `until`; from the tables, so a token that ends
 * far beyond the window costs nothing to recognise.
 */
function unbreakableSpans({ text, index }: Source, from: number, until: number): [number, number][] {
  const spans: [number, number][] = [];
  for (let k = from; k < until && k < text.length; k += 1) {
    const code = text.charCodeAt(k);
    let end = -1;
    if (code === 60 && text.charCodeAt(at(index.angle, k + 1)) === 62) end = at(index.angle, k + 1) + 1;
    if (code === 96) {
      const close = Math.min(at(index.backtick, k + 1), at(index.lineEnd, k + 1));
      if (close > k + 1 && text.charCodeAt(close) === 96) end = close + 1;
    }
    if (end !== -1) {
      spans.push([k, end]);
      k = end - 1;
    }
  }
  return spans;
}

/** No whitespace to cut at: cut mid-word, leaving room to close a code block, never mid-surrogate-pair. */
function hardCut({ text }: Source, offset: number, lines: readonly Line[], budget: number, maxChars: number): Cut {
  const reserve = lines.reduce((most, line) => Math.max(most, closingCost(line.inside, maxChars)), 0);
  let cutAt = budget - reserve;
  const code = text.charCodeAt(offset + cutAt - 1);
  if (code >= 0xd800 && code <= 0xdbff) cutAt -= 1;
  const line = lines.find((l) => cutAt >= l.start && cutAt <= l.end);
  return { at: cutAt, inside: line?.inside };
}
