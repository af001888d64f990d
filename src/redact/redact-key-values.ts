import { isCredentialName } from './is-credential-name.ts';
import { redactionMarker } from './redaction-marker.ts';

const MARKER = redactionMarker('credential');

/**
 * Where a credential-named key may be: a word containing one of these. Searching for them first (a fast
 * literal scan) instead of for every `word:` keeps text without credentials cheap, whatever its shape.
 */
const HINT = /pass|pwd|secret|token|key|auth|cred|dsn|cookie|sig|sas|conn|cert|applied|original/gi;

/** An environment variable as YAML or JSON: `name: DB_PASSWORD` then `value: x`. Bounded blanks: linear. */
const ENV_NAME = /(\\?["']?)name\1[ \t]{0,8}:[ \t]{0,8}(\\?["']?)([A-Za-z_][\w.-]{0,127})\2/g;
const ENV_VALUE = /(\\?["']?)value\1[ \t]{0,8}:[ \t]{0,8}/y;

/** Values that carry nothing secret and that the model may need (automountServiceAccountToken: true). */
const HARMLESS = /^(?:true|false|null|~|\d{1,6}|yes|no|none|<none>|""|'')$/i;
/** Keys whose whole value is a credential wherever they appear (HTTP headers). */
const HEADER_KEYS = /^(?:proxy-)?authorization$|^(?:set-)?cookie$|^x-(?:api|auth)-(?:key|token)$/i;
/** A word of prose ("unexpected", "Expired."): after `token:` in the middle of a sentence it is not the token. */
const PLAIN_WORD = /^[A-Za-z][a-z]{0,15}[.,:;!?]*$/;

const isKeyChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2f || c === 0x2d;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
/** Longest key considered; a longer run of key characters is data. */
const MAX_KEY = 128;

interface Span {
  start: number;
  end: number;
}

/**
 * Redacts the values of credential-named keys, flags and environment variables in free text: `password=x`,
 * `"apiToken": "x"`, `\"db_password\":\"x\"`, `DB_PASSWORD: x`, `password = x`, `--token x`, `- --db-password`
 * then `- x`, `name: DB_PASSWORD` then `value: x`, YAML block scalars. In the middle of a sentence only a
 * value that looks like a secret goes ("anonymous token: unexpected status: 401 Unauthorized" stays). One
 * pass per kind, each value consumed once: linear time.
 */
export function redactKeyValues(text: string): string {
  const withoutEnv = replaceSpans(text, envValues(text));
  return replaceSpans(withoutEnv, keyValues(withoutEnv));
}

function replaceSpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const { start, end } of spans) {
    out += text.slice(from, start) + MARKER;
    from = end;
  }
  return out + text.slice(from);
}

function envValues(text: string): Span[] {
  const spans: Span[] = [];
  if (!text.includes('name')) return spans;
  ENV_NAME.lastIndex = 0;
  let from = 0;
  for (let m = ENV_NAME.exec(text); m !== null; m = ENV_NAME.exec(text)) {
    if (m.index < from || !isCredentialName(m[3] ?? '')) continue;
    let p = m.index + m[0].length;
    p = skipBlanks(text, p);
    if (text[p] === ',') p = skipBlanks(text, p + 1);
    if (text[p] === '\r') p++;
    if (text[p] === '\n') {
      p = skipBlanks(text, p + 1);
      if (text[p] === '-' && isBlank(text[p + 1])) p = skipBlanks(text, p + 1);
    }
    ENV_VALUE.lastIndex = p;
    const value = ENV_VALUE.exec(text);
    if (value === null) continue;
    const span = separatedValue(text, {
      keyStart: p,
      key: 'value',
      valueStart: p + value[0].length,
      spaced: true,
      keyQuote: value[1] ?? '',
    });
    if (span !== undefined) {
      spans.push(span);
      from = span.end;
      ENV_NAME.lastIndex = Math.max(ENV_NAME.lastIndex, span.end);
    }
  }
  return spans;
}

function keyValues(text: string): Span[] {
  const spans: Span[] = [];
  HINT.lastIndex = 0;
  let from = 0;
  for (let m = HINT.exec(text); m !== null; m = HINT.exec(text)) {
    let start = m.index;
    while (start > 0 && m.index - start <= MAX_KEY && isKeyChar(text.charCodeAt(start - 1))) start--;
    let end = m.index + m[0].length;
    while (end < text.length && isKeyChar(text.charCodeAt(end))) end++;
    HINT.lastIndex = end;
    if (start < from || m.index - start > MAX_KEY || end - start > MAX_KEY) continue;
    const span = valueAfterKey(text, start, end);
    if (span !== undefined) {
      spans.push(span);
      from = span.end;
      HINT.lastIndex = Math.max(end, span.end);
    }
  }
  return spans;
}

/** The value of the key text[start, end) if it is a credential key followed by a value, else undefined. */
function valueAfterKey(text: string, start: number, end: number): Span | undefined {
  const dashes = text[start] !== '-' ? 0 : text[start + 1] === '-' ? 2 : 1;
  const first = text.charCodeAt(start + dashes);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a) || first === 0x5f)) return undefined;
  const key = text.slice(start + dashes, end);
  if (!isCredentialName(key)) return undefined;
  const openQuote = quoteBefore(text, start);
  const afterKey = openQuote !== '' && text.startsWith(openQuote, end) ? end + openQuote.length : end;
  const sep = skipBlanks(text, afterKey);
  if (sep - afterKey <= 8 && isSeparator(text, sep)) {
    const valueStart = skipBlanks(text, sep + 1);
    const spaced = sep > afterKey || valueStart > sep + 1;
    return separatedValue(text, { keyStart: start - openQuote.length, key, valueStart, spaced, keyQuote: openQuote });
  }
  return dashes === 0 ? undefined : flagValue(text, afterKey);
}

interface SeparatedValue {
  keyStart: number;
  key: string;
  valueStart: number;
  /** Blanks around the separator: `password = x`, `password: x` (YAML, prose) rather than `password=x`. */
  spaced: boolean;
  keyQuote: string;
}

function separatedValue(text: string, { keyStart, key, valueStart, spaced, keyQuote }: SeparatedValue): Span | undefined {
  const c = text[valueStart];
  if (c === undefined || c === '\n' || c === '\r' || c === '{' || c === '[') return undefined;
  if (c === '"' || c === "'" || (c === '\\' && text[valueStart + 1] === '"')) return quotedValue(text, valueStart);
  if (!spaced) return word(text, valueStart);
  const position = keyPosition(text, keyStart);
  if (position !== 'prose' || HEADER_KEYS.test(key)) {
    if (c === '|' || c === '>') {
      const block = blockScalar(text, valueStart, lineIndentAt(text, keyStart));
      if (block !== undefined) return block;
    }
    return toLineEnd(text, valueStart, position === 'flow' && keyQuote === '');
  }
  const first = word(text, valueStart);
  if (first === undefined) return undefined;
  return PLAIN_WORD.test(text.slice(first.start, first.end)) ? undefined : first;
}

/** `--password hunter2`, `"--password", "hunter2"`, `- --password` then `- hunter2` (container args as YAML). */
function flagValue(text: string, afterFlag: number): Span | undefined {
  let p = skipBlanks(text, afterFlag);
  if (text[p] === ',') p = skipBlanks(text, p + 1);
  if (text[p] === '\r') p++;
  if (text[p] === '\n') {
    p = skipBlanks(text, p + 1);
    if (text[p] === '-' && isBlank(text[p + 1])) p = skipBlanks(text, p + 1);
  }
  if (p === afterFlag) return undefined;
  const quote = text[p] === '"' || text[p] === "'" ? text[p] : text[p] === '\\' && text[p + 1] === '"' ? '\\"' : '';
  if (quote !== '') return quotedValue(text, p);
  if (text[p] === '-') return undefined;
  return word(text, p);
}

/** Where a key stands: at the start of a line (YAML, .env, INI), in a flow or JSON object, or in prose. */
function keyPosition(text: string, keyStart: number): 'line' | 'flow' | 'prose' {
  let i = keyStart;
  while (i > 0 && isBlank(text[i - 1])) i--;
  const before = text[i - 1];
  if (before === undefined || before === '\n' || before === '\r') return 'line';
  if (before === '{' || before === ',' || before === '[') return 'flow';
  if (before === ';' || before === '&' || before === '?') return 'line';
  if (before === '-') {
    let j = i - 1;
    while (j > 0 && isBlank(text[j - 1])) j--;
    if (j === 0 || text[j - 1] === '\n') return 'line';
  }
  return 'prose';
}

function quoteBefore(text: string, start: number): string {
  if (text[start - 1] === '"') return text[start - 2] === '\\' ? '\\"' : '"';
  return text[start - 1] === "'" ? "'" : '';
}

/** The inside of a quoted value ("…", '…' or JSON-escaped \"…\"), up to its closing quote or the end of the line. */
function quotedValue(text: string, at: number): Span | undefined {
  const escaped = text[at] === '\\';
  const quote = escaped ? '"' : (text[at] ?? '"');
  const start = at + (escaped ? 2 : 1);
  let i = start;
  while (i < text.length && text[i] !== '\n') {
    if (escaped ? text[i] === '\\' && text[i + 1] === '"' : text[i] === quote) break;
    i += !escaped && quote === '"' && text[i] === '\\' ? 2 : 1;
  }
  return redactable(text, start, Math.min(i, text.length));
}

/** One word: up to a blank or a character that ends a value in a command line, query string or object. */
function word(text: string, at: number): Span | undefined {
  let i = at;
  while (i < text.length && !WORD_END.has(text[i] ?? '') && !(text[i] === '\\' && text[i + 1] === '"')) i++;
  return redactable(text, at, i);
}

const WORD_END = new Set([' ', '\t', '\n', '\r', '\f', '\v', ';', '&', ',', '}', ']', ')', '"', "'", '<', '>']);

/** `:` or `=` ending a key, but not `://` (a URL), `::`, `:=` or `==`. */
function isSeparator(text: string, at: number): boolean {
  const c = text[at];
  const next = text[at + 1];
  if (c === ':') return next !== '/' && next !== ':' && next !== '=';
  return c === '=' && next !== '=';
}

/** To the end of the line (trailing blanks kept), or in a flow to the next `,` or `}`. */
function toLineEnd(text: string, at: number, inFlow: boolean): Span | undefined {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r' && !(inFlow && (text[i] === ',' || text[i] === '}'))) i++;
  let end = i;
  while (end > at && isBlank(text[end - 1])) end--;
  return redactable(text, at, end);
}

/** `password: |` then the lines indented deeper than the key: all of them are the value. */
function blockScalar(text: string, at: number, keyIndent: number): Span | undefined {
  let i = at + 1;
  while (i < text.length && '-+0123456789'.includes(text[i] ?? ' ')) i++;
  i = skipBlanks(text, i);
  if (i < text.length && text[i] !== '\n' && text[i] !== '\r') return undefined;
  let end = i;
  while (end < text.length) {
    const next = text.indexOf('\n', end + 1);
    const lineEnd = next === -1 ? text.length : next;
    const lineStart = end + 1;
    const indent = skipBlanks(text, lineStart) - lineStart;
    const blank = lineStart + indent >= lineEnd || text[lineStart + indent] === '\r';
    if (!blank && indent <= keyIndent) break;
    end = lineEnd;
  }
  return { start: at, end };
}

function redactable(text: string, start: number, end: number): Span | undefined {
  if (end <= start) return undefined;
  if (text[start] === '[' && text.startsWith('[redacted', start)) return undefined;
  if (end - start <= 7 && HARMLESS.test(text.slice(start, end))) return undefined;
  if ((text[start] === 'B' || text[start] === 'b') && /^(?:Bearer|Basic) \[redacted/i.test(text.slice(start, start + 17))) return undefined;
  return { start, end };
}

function skipBlanks(text: string, at: number): number {
  let i = at;
  while (isBlank(text[i])) i++;
  return i;
}

/** Indentation of the line holding `index`, a YAML list dash counted as indentation. */
function lineIndentAt(text: string, index: number): number {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let i = skipBlanks(text, lineStart);
  if (text[i] === '-' && isBlank(text[i + 1])) i = skipBlanks(text, i + 1);
  return i - lineStart;
}
