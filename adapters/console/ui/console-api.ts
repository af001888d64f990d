import type { ApprovalCard } from '../../../src/chat/approval-card.ts';

export type { ConsoleConversationSummary, ConsoleEvent } from '../reply/console-event.ts';

/** GET /console/api/me: who is signed in and what they may do. */
export interface Me {
  name: string;
  identity: string;
  verified: boolean;
  via: string;
  canApprove: boolean;
  aiConfigured: boolean;
  loginRequired: boolean;
}

/** One row of GET /console/api/audit: an audit event (src/audit/audit-event.ts) with its stream id. */
export interface AuditRow {
  id: string;
  at: string;
  kind: string;
  platform: string;
  channel: string;
  user: string;
  jobId: string;
  cluster: string;
  result: string;
  by?: string;
  tool?: string;
  arguments?: unknown;
  reason?: string;
  error?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** The first words of the question the event belongs to, when the gateway found them. */
  question?: string;
}

export interface QueueHealth {
  name: string;
  counts: Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>;
  workers: number;
}

export type { ApprovalCard };

/** What the console's API answers: the parsed JSON body (an empty object when there was none). */
export interface ApiResult<T> {
  status: number;
  ok: boolean;
  data: T & { error?: string; message?: string };
}

/** GET (no body) or a same-origin JSON POST to the gateway. */
export type ConsoleApi = <T>(path: string, body?: unknown) => Promise<ApiResult<T>>;

/**
 * The page's API client. The body's shape is the route's (T): the page and the API are served together, so it is
 * trusted to match. A 401 from /console/api/ calls `onSignedOut`.
 */
export function consoleApi({ onSignedOut }: { onSignedOut: () => void }): ConsoleApi {
  return async <T>(path: string, body?: unknown): Promise<ApiResult<T>> => {
    const init: RequestInit =
      body === undefined
        ? { credentials: 'same-origin' }
        : { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(path, init);
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      data = {};
    }
    if (res.status === 401 && path.startsWith('/console/api/')) onSignedOut();
    return { status: res.status, ok: res.ok, data: data as ApiResult<T>['data'] };
  };
}
