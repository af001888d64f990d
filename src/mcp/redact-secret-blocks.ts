import { redactionMarker } from './redaction-marker.ts';

const MENTIONS_SECRET = /(?<![\w-])kind\\?["']?[ \t]{0,8}[:=][ \t]{0,8}\\?["']?Secret(?![\w-])/;
const JSON_DATA_KEY = /"(?:data|stringData)"[ \t\r\n]{0,16}:[ \t\r\n]{0,16}\{/g;
const SECRET_DATA = redactionMarker('secret data');

/**
 * A Secret rendered as YAML or JSON text: the values under `data` and `stringData` are replaced, the keys
 * kept (they say what the Secret holds). Applies to every data block of a text that mentions `kind: Secret`,
 * erring towards hiding a ConfigMap's data in a mixed list. Small scanners, no backtracking: linear time.
 */
export function redactSecretBlocks(text: string): string {
  if (!MENTIONS_SECRET.test(text)) return text;
  return redactJsonData(redactYamlData(text));
}

function redactYamlData(text: string): string {
  const lines = text.split('\n');
  /** Indentation of the `data:` key whose block we are in. */
  let blockIndent: number | undefined;
  /** Indentation of the block's entries; deeper lines continue a value (a block scalar). */
  let entryIndent: number | undefined;
  let previousContinuation = false;
  const out: string[] = [];
  for (const line of lines) {
    const indent = leadingBlanks(line);
    const blank = indent === line.length || line.trimEnd().length === indent;
    if (blockIndent !== undefined && !blank && indent > blockIndent) {
      entryIndent ??= indent;
      if (indent > entryIndent) {
        // A value's continuation lines: one marker for the run.
        if (!previousContinuation) out.push(`${line.slice(0, indent)}${SECRET_DATA}`);
        previousContinuation = true;
        continue;
      }
      previousContinuation = false;
      out.push(redactEntryValue(line, indent));
      continue;
    }
    previousContinuation = false;
    if (!blank) {
      blockIndent = undefined;
      entryIndent = undefined;
    }
    const key = dataKey(line, indent);
    if (key === 'block') blockIndent = indent;
    out.push(key === 'flow' ? redactFlowValues(line) : line);
  }
  return out.join('\n');
}

/** `data:` (a block follows) or `data: {…}` (a flow map), maybe as a list item or quoted; undefined otherwise. */
function dataKey(line: string, indent: number): 'block' | 'flow' | undefined {
  let i = indent;
  if (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === '\t')) i += 1 + leadingBlanks(line.slice(i + 1));
  const quote = line[i] === '"' || line[i] === "'" ? (line[i] ?? '') : '';
  i += quote.length;
  const name = line.startsWith('stringData', i) ? 'stringData' : line.startsWith('data', i) ? 'data' : '';
  if (name === '') return undefined;
  i += name.length;
  if (quote !== '' && line[i] === quote) i++;
  i += leadingBlanks(line.slice(i, i + 16));
  if (line[i] !== ':') return undefined;
  const rest = line.slice(i + 1).trim();
  if (rest === '') return 'block';
  return rest.startsWith('{') ? 'flow' : undefined;
}

/** `  key: value` → `  key: [redacted]`; the key may be quoted. Lines without a `key:` are replaced whole. */
function redactEntryValue(line: string, indent: number): string {
  let i = indent;
  const quote = line[i] === '"' || line[i] === "'" ? (line[i] ?? '') : '';
  if (quote !== '') {
    const close = line.indexOf(quote, i + 1);
    i = close === -1 ? line.length : close + 1;
  }
  for (; i < line.length; i++) {
    if (line[i] === ':' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
      return line.slice(i + 1).trim() === '' ? line : `${line.slice(0, i + 1)} ${SECRET_DATA}`;
    }
  }
  return `${line.slice(0, indent)}${SECRET_DATA}`;
}

/** `data: {a: x, "b": "y"}` → every value replaced, keys kept. */
function redactFlowValues(line: string): string {
  const open = line.indexOf('{');
  let out = line.slice(0, open + 1);
  let i = open + 1;
  while (i < line.length) {
    const colon = line.indexOf(':', i);
    if (colon === -1) break;
    out += `${line.slice(i, colon + 1)} ${SECRET_DATA}`;
    let j = colon + 1;
    while (j < line.length && line[j] === ' ') j++;
    const quote = line[j] === '"' || line[j] === "'" ? (line[j] ?? '') : '';
    if (quote !== '') {
      const close = line.indexOf(quote, j + 1);
      j = close === -1 ? line.length : close + 1;
    }
    while (j < line.length && line[j] !== ',' && line[j] !== '}') j++;
    out += line.slice(j, j + 1);
    i = j + 1;
    if (line[j] === '}' || j >= line.length) break;
  }
  return out + line.slice(i);
}

/** The string values of each JSON `"data": {…}` object, keys kept. */
function redactJsonData(text: string): string {
  let out = '';
  let from = 0;
  JSON_DATA_KEY.lastIndex = 0;
  for (let m = JSON_DATA_KEY.exec(text); m !== null; m = JSON_DATA_KEY.exec(text)) {
    if (m.index < from) continue;
    let i = m.index + m[0].length;
    out += text.slice(from, i);
    for (;;) {
      const keyStart = skipSpace(text, i);
      if (text[keyStart] !== '"') break;
      const keyEnd = stringEnd(text, keyStart);
      const colon = skipSpace(text, keyEnd);
      if (text[colon] !== ':') break;
      const valueStart = skipSpace(text, colon + 1);
      out += text.slice(i, valueStart);
      if (text[valueStart] === '"') {
        const valueEnd = stringEnd(text, valueStart);
        out += `"${SECRET_DATA}"`;
        i = valueEnd;
      } else {
        i = valueStart;
      }
      const next = skipSpace(text, i);
      if (text[next] !== ',') break;
      out += text.slice(i, next + 1);
      i = next + 1;
    }
    from = i;
    JSON_DATA_KEY.lastIndex = Math.max(JSON_DATA_KEY.lastIndex, i);
  }
  return out + text.slice(from);
}

/** Just past the closing quote of the JSON string opening at `at` (or the end of the text). */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

function leadingBlanks(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}
