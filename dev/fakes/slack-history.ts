import { stringArg, type SlackArgs } from './slack-request-args.ts';
import type { SlackResult } from './slack-workspace.ts';

/**
 * Paging of `conversations.history` and `conversations.replies` as Slack does it: a time window
 * (`oldest` / `latest`, exclusive unless `inclusive`), `limit` messages per page, and an opaque
 * `response_metadata.next_cursor` (base64 of `next_ts:<ts>`) with `has_more` while older (history) or newer
 * (replies) messages remain in the window.
 */
export interface HistoryWindow {
  oldest: number;
  latest: number;
  limit: number;
  /** The page starts after this ts (in the page order), from the cursor. */
  after: string | undefined;
  includeAllMetadata: boolean;
}

export const HISTORY_MAX_LIMIT = 999;
const DEFAULT_LIMIT = { history: 100, replies: 1000 } as const;

/** Reads the window arguments; Slack answers `invalid_cursor` / `invalid_ts_oldest` / `invalid_ts_latest` for bad ones. */
export function historyWindow(args: SlackArgs, method: 'history' | 'replies'): HistoryWindow | SlackResult {
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  const oldestText = stringArg(args, 'oldest');
  const latestText = stringArg(args, 'latest');
  const oldest = oldestText === undefined ? 0 : Number(oldestText);
  const latest = latestText === undefined ? Number.POSITIVE_INFINITY : Number(latestText);
  if (!Number.isFinite(oldest)) return { ok: false, error: 'invalid_ts_oldest' };
  if (latestText !== undefined && !Number.isFinite(latest)) return { ok: false, error: 'invalid_ts_latest' };
  const limitText = stringArg(args, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT[method] : Math.trunc(Number(limitText));
  if (!Number.isFinite(limit)) return { ok: false, error: 'invalid_limit' };
  const cursor = stringArg(args, 'cursor');
  let after: string | undefined;
  if (cursor !== undefined) {
    after = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
    if (after === undefined) return { ok: false, error: 'invalid_cursor' };
  }
  const includeAllMetadata =
    args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
  // An inclusive bound is kept by widening it by less than Slack's one-microsecond ts step.
  const step = inclusive ? 0.0000005 : 0;
  return {
    oldest: oldest - step,
    latest: latest + step,
    limit: Math.min(HISTORY_MAX_LIMIT, Math.max(1, limit)),
    after,
    includeAllMetadata,
  };
}

/**
 * One page of `items` (already in page order: newest first for history, oldest first for replies) inside the
 * window, after the cursor's ts.
 */
export function historyPage<T extends { ts: string }>(items: readonly T[], window: HistoryWindow, order: 'newest_first' | 'oldest_first') {
  const inWindow = items.filter((item) => Number(item.ts) > window.oldest && Number(item.ts) < window.latest);
  const start =
    window.after === undefined
      ? 0
      : inWindow.findIndex((item) => (order === 'newest_first' ? item.ts < (window.after ?? '') : item.ts > (window.after ?? '')));
  const rest = start < 0 ? [] : inWindow.slice(start);
  const page = rest.slice(0, window.limit);
  const hasMore = rest.length > page.length;
  const last = page.at(-1);
  const nextCursor = hasMore && last !== undefined ? Buffer.from(`next_ts:${last.ts}`).toString('base64') : '';
  return { page, hasMore, nextCursor };
}
