import { clipText } from '../kube/clip-text.ts';
import { isCredentialName } from './is-credential-name.ts';
import { redactText } from './redact-text.ts';
import { redactionMarker } from './redaction-marker.ts';

export interface RedactedStructure {
  value: unknown;
  /**
   * The values it hid (Secret data, decoded too, and credential-named fields), so the caller can scrub
   * them from text rendered from the same data, whatever shape the text gave them.
   */
  hidden: Set<string>;
}

/** Short values are not scrubbed from text by value: "1", "true" or "admin" would hit ordinary words. */
const MIN_SCRUB_LENGTH = 6;
/** Values scrubbed by value at most: each costs a scan of the (bounded) text. */
const MAX_HIDDEN = 256;
/**
 * Structured content is for programs (charts, links, approval cards), not for reading megabytes: strings are
 * clipped to this before they are redacted, and once this many characters of strings were walked, to SHORT.
 */
const MAX_STRING = 8 * 1024;
const MAX_WALKED = 256 * 1024;
const SHORT = 256;

interface Walk {
  hidden: Set<string>;
  /** Characters of strings redacted so far. */
  walked: number;
}

/**
 * Redacts structured data: a Secret's `data`/`stringData` values (keys kept), environment variables
 * and fields whose names look like credentials, and every string through redactText. Bounded work: long
 * strings are clipped (at a token boundary, so no credential is half-kept) before they are redacted.
 */
export function redactStructured(value: unknown): RedactedStructure {
  const state: Walk = { hidden: new Set<string>(), walked: 0 };
  return { value: walk(value, state, 0), hidden: state.hidden };
}

function redactString(value: string, state: Walk): string {
  const clipped = clipText(value, state.walked > MAX_WALKED ? SHORT : MAX_STRING);
  state.walked += clipped.length;
  return redactText(clipped);
}

function walk(value: unknown, state: Walk, depth: number): unknown {
  const hidden = state.hidden;
  if (typeof value === 'string') return redactString(value, state);
  // Deeper than any Kubernetes object: a cycle or a bug; say so rather than recurse forever.
  if (depth > 64) return redactionMarker('too deeply nested');
  if (Array.isArray(value)) return value.map((item) => walk(item, state, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const isSecret = object.kind === 'Secret';
  const envName = typeof object.name === 'string' && isCredentialName(object.name);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    if (isSecret && (key === 'data' || key === 'stringData') && field !== null && typeof field === 'object') {
      out[key] = Object.fromEntries(Object.keys(field).map((k) => [k, redactionMarker('secret data')]));
      for (const v of Object.values(field)) if (typeof v === 'string') hide(hidden, v, key === 'data');
    } else if (typeof field === 'string' && field !== '' && (isCredentialName(key) || (envName && key === 'value'))) {
      out[key] = redactionMarker('credential');
      hide(hidden, field, false);
    } else {
      out[key] = walk(field, state, depth + 1);
    }
  }
  return out;
}

function hide(hidden: Set<string>, value: string, isBase64: boolean): void {
  if (hidden.size >= MAX_HIDDEN) return;
  const plain = isBase64 ? Buffer.from(value, 'base64').toString('utf8') : value;
  for (const v of [value, plain, Buffer.from(plain, 'utf8').toString('base64')]) if (v.length >= MIN_SCRUB_LENGTH) hidden.add(v);
}
