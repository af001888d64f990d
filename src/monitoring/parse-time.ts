import { parseDuration } from '../kube/parse-duration.ts';

/** "now", unix seconds or RFC 3339 → unix seconds; undefined when it is none of these. */
export function parseTime(text: string, now: number = Date.now() / 1000): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'now') return now;
  const relative = /^now-(.+)$/.exec(trimmed);
  if (relative !== null) {
    const ms = parseDuration(relative[1] ?? '');
    return ms === undefined ? undefined : now - ms / 1000;
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Unix seconds as RFC 3339 (UTC, whole seconds). */
export const isoTime = (seconds: number): string => new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
