import { isCredentialName } from './is-credential-name.ts';
import { isRedactionMarker, redactionMarker } from './redaction-marker.ts';

/**
 * `password=x`, `"apiToken": "x"`, `DB_PASSWORD: x`, `--token=x`: a credential-looking key followed
 * directly by `:` or `=` (no space before it, so prose like `volume "secret-x" : not found` is left alone).
 */
const KEY_VALUE = /(?<![\w./-])(--?)?([A-Za-z_][\w./-]*)(["']?)([:=])(?!\/\/)[ \t]*/g;

/** `--password hunter2`: a credential flag and its value as separate words. */
const FLAG_WORD = /(?<![\w-])(--?[A-Za-z][\w-]*)([ \t]+)(?=[^\s-])/g;

/** An environment variable as YAML or JSON: `name: DB_PASSWORD` then `value: x`. */
const ENV_PAIR = /(["']?)name\1[ \t]*:[ \t]*(["']?)([A-Za-z_][\w.-]*)\2[ \t]*,?[ \t]*(?:\r?\n[ \t]*(?:-[ \t]*)?)?(["']?)value\4[ \t]*:[ \t]*/g;

/** Values that carry nothing secret and that the model may need (automountServiceAccountToken: true). */
const HARMLESS = /^(?:true|false|null|~|\d{1,6})$/i;

/** Redacts the values of credential-named keys, flags and environment variables in free text. */
export function redactKeyValues(text: string): string {
  let out = replaceValues(text, ENV_PAIR, (m) => isCredentialName(m[3] ?? ''), ':');
  out = replaceValues(out, KEY_VALUE, (m) => isCredentialName(m[2] ?? ''), undefined);
  return replaceValues(out, FLAG_WORD, (m) => isCredentialName(m[1] ?? ''), '=');
}

/**
 * For each match whose key is a credential, replaces the value that follows it. `separator` is the
 * kind of value: ':' (YAML/JSON: to the end of the line, or a block scalar), '=' (one word).
 */
function replaceValues(
  text: string,
  pattern: RegExp,
  isCredential: (match: RegExpExecArray) => boolean,
  separator: ':' | '=' | undefined,
): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    const valueStart = match.index + match[0].length;
    if (valueStart < from || !isCredential(match)) continue;
    const kind = separator ?? (match[4] === ':' ? ':' : '=');
    const end = valueEnd(text, valueStart, kind, lineIndent(text, match.index));
    const value = text.slice(valueStart, end.end);
    if (end.end === valueStart || isRedactionMarker(value.replace(/^["']/, '')) || HARMLESS.test(value)) continue;
    out += text.slice(from, end.valueStart) + redactionMarker('credential') + text.slice(end.valueEnd, end.end);
    from = end.end;
  }
  return out + text.slice(from);
}

interface ValueSpan {
  /** Where the replaced part starts and ends (inside quotes when quoted). */
  valueStart: number;
  valueEnd: number;
  /** Where the whole value, closing quote included, ends. */
  end: number;
}

function valueEnd(text: string, start: number, kind: ':' | '=', keyIndent: number): ValueSpan {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    let i = start + 1;
    while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    const close = Math.min(i, text.length);
    return { valueStart: start + 1, valueEnd: close, end: close < text.length && text[close] === quote ? close + 1 : close };
  }
  if (kind === '=') {
    const stop = /[\s;&,}\])"']/.exec(text.slice(start));
    const end = stop === null ? text.length : start + stop.index;
    return { valueStart: start, valueEnd: end, end };
  }
  const lineEnd = text.indexOf('\n', start);
  const end = lineEnd === -1 ? text.length : lineEnd;
  const rest = text.slice(start, end);
  if (/^[|>][-+0-9]*\s*$/.test(rest)) return blockScalar(text, start, end, keyIndent);
  if (/^[{[]/.test(rest)) return { valueStart: start, valueEnd: start, end: start };
  // Not `]`: a redaction marker ends in one, and flow sequences (`[`) are skipped above.
  const flowStop = /[,}]/.exec(rest);
  const valueEndAt = flowStop === null ? end : start + flowStop.index;
  return { valueStart: start, valueEnd: valueEndAt, end: valueEndAt };
}

/** `password: |` then lines indented deeper than the key: all of them are the value. */
function blockScalar(text: string, start: number, firstLineEnd: number, keyIndent: number): ValueSpan {
  let end = firstLineEnd;
  while (end < text.length) {
    const next = text.indexOf('\n', end + 1);
    const line = text.slice(end + 1, next === -1 ? text.length : next);
    if (line.trim() !== '' && (/^[ \t]*/.exec(line)?.[0].length ?? 0) <= keyIndent) break;
    end = next === -1 ? text.length : next;
  }
  return { valueStart: start, valueEnd: end, end };
}

function lineIndent(text: string, index: number): number {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*(?:-[ \t]+)?/.exec(text.slice(lineStart, index + 1))?.[0].length ?? 0;
}
