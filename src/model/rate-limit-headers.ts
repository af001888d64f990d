/** One of the API's rate limits as its response headers state it. */
export interface RateLimitHeader {
  limit?: number;
  remaining?: number;
  /** Milliseconds until the limit is fully replenished (from the RFC 3339 `-reset` time). */
  resetMs?: number;
}

/** The anthropic-ratelimit-* headers of one response; absent limits are absent keys. */
export interface RateLimitSnapshot {
  requests?: RateLimitHeader;
  inputTokens?: RateLimitHeader;
  outputTokens?: RateLimitHeader;
}

const PREFIX = 'anthropic-ratelimit-';

/**
 * Reads anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset}. The combined
 * `tokens-*` headers (the most restrictive token limit) stand in for the input-token ones when only they are
 * sent, since input is what a tool loop spends most.
 */
export function rateLimitHeaders(headers: Headers, now = Date.now()): RateLimitSnapshot {
  const read = (name: string): RateLimitHeader | undefined => {
    const limit = count(headers.get(`${PREFIX}${name}-limit`));
    const remaining = count(headers.get(`${PREFIX}${name}-remaining`));
    const reset = headers.get(`${PREFIX}${name}-reset`);
    const resetAt = reset === null ? Number.NaN : Date.parse(reset);
    const header: RateLimitHeader = {
      ...(limit === undefined ? {} : { limit }),
      ...(remaining === undefined ? {} : { remaining }),
      ...(Number.isNaN(resetAt) ? {} : { resetMs: Math.max(0, resetAt - now) }),
    };
    return Object.keys(header).length === 0 ? undefined : header;
  };
  const requests = read('requests');
  const inputTokens = read('input-tokens') ?? read('tokens');
  const outputTokens = read('output-tokens');
  return {
    ...(requests === undefined ? {} : { requests }),
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}

/** When an exhausted limit (nothing remaining) is replenished enough to go on: the soonest reset among them. */
export function exhaustedResetMs(snapshot: RateLimitSnapshot): number | undefined {
  const resets = [snapshot.requests, snapshot.inputTokens, snapshot.outputTokens].flatMap((h) =>
    h?.remaining === 0 && h.resetMs !== undefined ? [h.resetMs] : [],
  );
  return resets.length === 0 ? undefined : Math.min(...resets);
}

function count(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
