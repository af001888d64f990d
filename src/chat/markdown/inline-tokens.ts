import { isAsciiPunctuationCode, isSpaceCode, isWordCode, nextLineBreak, runEnd } from './char-classes.ts';

/**
 * Inline spans of one line of Markdown that a converter must treat as units, leftmost first: backslash
 * escapes, code spans, Slack's `<…>` tokens, Markdown links and images, bare URLs. It finds exactly what
 * this pattern's `matchAll` found, in linear time (the pattern itself took seconds on a few kilobytes of
 * backticks or brackets):
 *
 *   \\(?<escaped>[!-/:-@[-`{-~])
 *   | (?<ticks>`+)(?<code>.+?)(?<!`)\k<ticks>(?!`)
 *   | (?<slack><(?:[@#!][^<>\s|]+|(?:https?|mailto):[^<>\s|]+)(?:\|[^<>\n]*)?>)
 *   | !?\[(?<label>[^\]\n]*)\]\([ \t]*<?(?<url>(?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:[ \t]+(?:"[^"]*"|'[^']*'))?[ \t]*\)
 *   | (?<bare>\bhttps?:\/\/[^\s<>]+)
 */
export type InlineToken =
  | { kind: 'escaped'; start: number; end: number; char: string }
  | { kind: 'code'; start: number; end: number; code: string }
  | { kind: 'slack'; start: number; end: number; token: string }
  | { kind: 'link'; start: number; end: number; label: string; url: string }
  | { kind: 'bare'; start: number; end: number; url: string };

const BACKTICK = 96;

export function scanInline(text: string): InlineToken[] {
  const tokens: InlineToken[] = [];
  // Made on first use: most lines have no backtick or bracket.
  let codeSpans: ReturnType<typeof codeSpanFinder> | undefined;
  let links: ReturnType<typeof linkFinder> | undefined;
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    let token: InlineToken | undefined;
    if (code === 92 && isAsciiPunctuationCode(text.charCodeAt(at + 1))) {
      token = { kind: 'escaped', start: at, end: at + 2, char: text.charAt(at + 1) };
    } else if (code === BACKTICK) {
      codeSpans ??= codeSpanFinder(text);
      token = codeSpans.at(at);
      // No code span starts anywhere in this run of backticks: it is literal text.
      if (token === undefined) {
        at = runEnd(text, at);
        continue;
      }
    } else if (code === 60) {
      token = slackToken(text, at);
    } else if (code === 91 || (code === 33 && text.charCodeAt(at + 1) === 91)) {
      links ??= linkFinder(text);
      token = links.at(at);
    } else if (code === 104 && !isWordCode(text.charCodeAt(at - 1))) {
      token = bareUrl(text, at);
    }
    if (token === undefined) {
      at += 1;
    } else {
      tokens.push(token);
      at = token.end;
    }
  }
  return tokens;
}

/**
 * Code spans (CommonMark): a run of backticks opens one that the next run of exactly as many closes. When no
 * later run has the length of the opening one, the pattern backtracks to a shorter opening: the longest one
 * that a later run (on the same line) matches. Later runs are found per length with forward-only cursors.
 */
function codeSpanFinder(text: string) {
  const runStarts: number[] = [];
  const runsByLength = new Map<number, number[]>();
  for (let at = text.indexOf('`'); at !== -1; at = text.indexOf('`', at)) {
    const end = runEnd(text, at);
    const length = end - at;
    const list = runsByLength.get(length) ?? [];
    list.push(runStarts.length);
    runsByLength.set(length, list);
    runStarts.push(at);
    at = end;
  }
  const cursors = new Map<number, number>();
  let run = 0;
  let lineBreak = -1;
  return {
    at(start: number): InlineToken | undefined {
      while (run + 1 < runStarts.length && (runStarts[run + 1] ?? Infinity) <= start) run += 1;
      const end = runEnd(text, start);
      if (lineBreak < start) lineBreak = nextLineBreak(text, start);
      for (let ticks = end - start; ticks >= 1; ticks -= 1) {
        const list = runsByLength.get(ticks);
        if (list === undefined) continue;
        let cursor = cursors.get(ticks) ?? 0;
        while (cursor < list.length && (list[cursor] ?? Infinity) <= run) cursor += 1;
        cursors.set(ticks, cursor);
        const closer = runStarts[list[cursor] ?? -1];
        if (closer !== undefined && closer < lineBreak) {
          return { kind: 'code', start, end: closer + ticks, code: text.slice(start + ticks, closer) };
        }
      }
      return undefined;
    },
  };
}

function slackToken(text: string, start: number): InlineToken | undefined {
  let at = start + 1;
  const first = text.charCodeAt(at);
  if (first === 64 || first === 35 || first === 33) at += 1;
  else if (text.startsWith('http:', at)) at += 5;
  else if (text.startsWith('https:', at)) at += 6;
  else if (text.startsWith('mailto:', at)) at += 7;
  else return undefined;
  const nameStart = at;
  while (at < text.length && !isTokenStop(text.charCodeAt(at))) at += 1;
  if (at === nameStart) return undefined;
  if (text.charCodeAt(at) === 124) {
    at += 1;
    while (at < text.length && !isLabelStop(text.charCodeAt(at))) at += 1;
  }
  return text.charCodeAt(at) === 62 ? { kind: 'slack', start, end: at + 1, token: text.slice(start, at + 1) } : undefined;
}

/** `[<>\s|]`: what ends the name or URL of a Slack token. */
const isTokenStop = (code: number) => code === 60 || code === 62 || code === 124 || isSpaceCode(code);
/** `[<>\n]`: what ends the label of a Slack token. */
const isLabelStop = (code: number) => code === 60 || code === 62 || code === 10;

/**
 * Markdown links. Every `[` before the same `]` shares that bracket's `](…)` tail, so the next `]` and the
 * tail parsed after it are remembered: many `[` and one long URL cost one scan, not one each.
 */
function linkFinder(text: string) {
  let close = -1;
  let tailAt = -1;
  let tail: { url: string; end: number } | undefined;
  return {
    at(start: number): InlineToken | undefined {
      const labelStart = start + (text.charCodeAt(start) === 33 ? 2 : 1);
      // Starts only move forward, so a `]` found for an earlier `[` is still the first one for this one.
      if (close < labelStart) {
        close = labelStart;
        while (close < text.length && text.charCodeAt(close) !== 93 && text.charCodeAt(close) !== 10) close += 1;
      }
      if (text.charCodeAt(close) !== 93 || text.charCodeAt(close + 1) !== 40) return undefined;
      if (tailAt !== close) {
        tailAt = close;
        tail = linkTail(text, close + 2);
      }
      return tail === undefined ? undefined : { kind: 'link', start, end: tail.end, label: text.slice(labelStart, close), url: tail.url };
    },
  };
}

/** `[ \t]*<?(url)>?(?:[ \t]+(?:"[^"]*"|'[^']*'))?[ \t]*\)` after `](`; none of its parts can backtrack usefully. */
function linkTail(text: string, start: number): { url: string; end: number } | undefined {
  let at = start;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at += 1;
  if (text.charCodeAt(at) === 60) at += 1;
  const urlStart = at;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (!isUrlStop(code)) {
      at += 1;
      continue;
    }
    if (code !== 40) break;
    let inner = at + 1;
    while (inner < text.length && !isUrlStop(text.charCodeAt(inner))) inner += 1;
    if (text.charCodeAt(inner) !== 41) break;
    at = inner + 1;
  }
  if (at === urlStart) return undefined;
  const url = text.slice(urlStart, at);
  if (text.charCodeAt(at) === 62) at += 1;
  const afterUrl = at;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at += 1;
  const quote = text.charAt(at);
  if (at > afterUrl && (quote === '"' || quote === "'")) {
    const closing = text.indexOf(quote, at + 1);
    if (closing !== -1) {
      let end = closing + 1;
      while (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9) end += 1;
      if (text.charCodeAt(end) === 41) return { url, end: end + 1 };
    }
  }
  return text.charCodeAt(at) === 41 ? { url, end: at + 1 } : undefined;
}

/** `[\s()<>]`: what a link's URL cannot contain outside one level of balanced parentheses. */
const isUrlStop = (code: number) => code === 40 || code === 41 || code === 60 || code === 62 || isSpaceCode(code);

function bareUrl(text: string, start: number): InlineToken | undefined {
  const scheme = text.startsWith('https://', start) ? 8 : text.startsWith('http://', start) ? 7 : 0;
  if (scheme === 0) return undefined;
  let at = start + scheme;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 60 || code === 62 || isSpaceCode(code)) break;
    at += 1;
  }
  return at === start + scheme ? undefined : { kind: 'bare', start, end: at, url: text.slice(start, at) };
}
