/**
 * Slack accepts up to 40,000 characters of text in one message, but a wall of that size is unreadable
 * in a thread; the bot posts long answers as several messages of about this size.
 */
export const SLACK_MESSAGE_CHARS = 3500;

/** Below this there is no room for text between a re-opened and a closing code fence. */
const MIN_CHARS = 16;

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
/** Slack `<url|label>` tokens and inline code: cutting at a space inside one breaks its rendering. */
const UNBREAKABLE = /<[^<>\n]*>|`[^`\n]+`/g;

interface Fence {
  /** The fence line that opened the block, language tag included. */
  opener: string;
  indent: string;
  marker: string;
}

interface Line {
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
  /** The chunk is `rest.slice(0, at)`, trimmed. */
  at: number;
  /** The code block open at the cut, which this chunk closes and the next re-opens. */
  inside: Fence | undefined;
}

/**
 * Splits an answer into messages of at most `maxChars`, cutting at a paragraph, else a line, else a
 * space, else anywhere. A cut inside a code block closes the fence in one chunk and re-opens it in the
 * next, so each message renders on its own. Only whitespace at a cut is dropped; blank text gives `[]`.
 */
export function splitMessage(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < MIN_CHARS) {
    throw new RangeError(`maxChars must be an integer of at least ${MIN_CHARS}, got ${maxChars}`);
  }
  const chunks: string[] = [];
  let rest = text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
  let open: Fence | undefined;
  while (rest.trim() !== '') {
    const reopen = open === undefined ? '' : `${fenceLines(open, maxChars).open}\n`;
    const budget = maxChars - reopen.length;
    if (rest.length <= budget) {
      chunks.push(reopen + rest);
      break;
    }
    // Indentation wider than a message cannot be kept; dropping it keeps every chunk non-blank.
    if (rest.length - rest.trimStart().length >= budget / 2) rest = rest.trimStart();
    const cut = chooseCut(rest, open, budget, maxChars);
    const close = cut.inside === undefined ? '' : `\n${fenceLines(cut.inside, maxChars).close}`;
    chunks.push(reopen + rest.slice(0, cut.at).trimEnd() + close);
    rest = dropCutWhitespace(rest.slice(cut.at));
    open = cut.inside;
  }
  return chunks;
}

/** A cut at a line drops the blank lines but keeps the next line's indentation (code, nested lists). */
function dropCutWhitespace(rest: string): string {
  return rest.replace(/^\s*\n|^[ \t]+/, '');
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
 */
function chooseCut(rest: string, open: Fence | undefined, budget: number, maxChars: number): Cut {
  const lines = scanLines(rest, open, budget);
  const firstText = rest.search(/\S/);
  const fits = (cut: Cut) => cut.at > firstText && cut.at + closingCost(cut.inside, maxChars) <= budget;
  const kinds = [blockCuts(lines), lineCuts(lines, false), lineCuts(lines, true), spaceCuts(rest, lines)];
  for (const cuts of kinds) {
    const cut = cuts.findLast((c) => c.at >= budget / 2 && fits(c));
    if (cut !== undefined) return cut;
  }
  for (const cuts of kinds) {
    const cut = cuts.findLast(fits);
    if (cut !== undefined) return cut;
  }
  return hardCut(rest, lines, budget, maxChars);
}

/** The lines that start within the budget, and one more so the last boundary knows its neighbour. */
function scanLines(rest: string, open: Fence | undefined, budget: number): Line[] {
  const lines: Line[] = [];
  let inside = open;
  let start = 0;
  while (start <= budget + 1 && start < rest.length) {
    const newline = rest.indexOf('\n', start);
    const end = newline === -1 ? rest.length : newline;
    const text = rest.slice(start, end);
    const line = classifyLine(text, inside);
    lines.push({ start, end, blank: text.trim() === '', ...line });
    inside = line.after;
    start = end + 1;
  }
  return lines;
}

function classifyLine(text: string, inside: Fence | undefined): Pick<Line, 'role' | 'inside' | 'after'> {
  if (inside !== undefined) {
    const marker = FENCE_CLOSE.exec(text)?.[1];
    const closes = marker !== undefined && marker[0] === inside.marker[0] && marker.length >= inside.marker.length;
    return closes ? { role: 'close', inside: undefined, after: undefined } : { role: 'code', inside, after: inside };
  }
  const fence = FENCE_OPEN.exec(text);
  const [, indent = '', marker = '', info = ''] = fence ?? [];
  // A backtick "fence" followed by more backticks is inline code (```a```), as in CommonMark.
  if (fence === null || (marker.startsWith('`') && info.includes('`'))) return { role: 'text', inside: undefined, after: undefined };
  return { role: 'open', inside: undefined, after: { opener: text, indent, marker } };
}

/** Boundaries between blocks outside code: at blank lines and around code blocks. */
function blockCuts(lines: readonly Line[]): Cut[] {
  return boundaries(lines)
    .filter(([line, next]) => line.after === undefined && (line.blank || next.blank || line.role === 'close' || next.role === 'open'))
    .map(([line]) => ({ at: line.end, inside: undefined }));
}

function lineCuts(lines: readonly Line[], inCode: boolean): Cut[] {
  return boundaries(lines)
    .filter(([line, next]) => {
      if (!inCode) return line.after === undefined;
      // Right after the opening fence or right before the closing one would leave an empty block.
      return line.after !== undefined && line.role !== 'open' && next.role !== 'close';
    })
    .map(([line]) => ({ at: line.end, inside: line.after }));
}

function boundaries(lines: readonly Line[]): [Line, Line][] {
  return lines.flatMap((line, k): [Line, Line][] => {
    const next = lines[k + 1];
    return next === undefined ? [] : [[line, next]];
  });
}

/** Spaces after a line's indentation, on text and code lines, outside Slack tokens and inline code. */
function spaceCuts(rest: string, lines: readonly Line[]): Cut[] {
  return lines.flatMap((line) => {
    if (line.role === 'open' || line.role === 'close') return [];
    const text = rest.slice(line.start, line.end);
    const unbreakable = line.role === 'text' ? [...text.matchAll(UNBREAKABLE)] : [];
    const cuts: Cut[] = [];
    for (let k = text.search(/\S/) + 1; k > 0 && k < text.length; k += 1) {
      const inToken = unbreakable.some((m) => k > m.index && k < m.index + m[0].length);
      if ((text[k] === ' ' || text[k] === '\t') && !inToken) cuts.push({ at: line.start + k, inside: line.inside });
    }
    return cuts;
  });
}

/** No whitespace to cut at: cut mid-word, leaving room to close a code block, never mid-surrogate-pair. */
function hardCut(rest: string, lines: readonly Line[], budget: number, maxChars: number): Cut {
  const reserve = Math.max(0, ...lines.map((line) => closingCost(line.inside, maxChars)));
  let at = budget - reserve;
  const code = rest.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at -= 1;
  const line = lines.find((l) => at >= l.start && at <= l.end);
  return { at, inside: line?.inside };
}
