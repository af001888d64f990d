/**
 * The fake Anthropic API's rate limits, as the real API applies them: token buckets for requests, input tokens
 * and output tokens per minute, refilled continuously up to their limit (output reserved at max_tokens when a
 * request starts, the unused part given back when it ends), plus an optional limit of requests in flight.
 * A request over a limit is answered 429 `rate_limit_error` with `retry-after`; every answer carries the
 * `anthropic-ratelimit-*` headers.
 */
export interface FakeRateLimitOptions {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
  /** Requests being answered at once; more get 429 at once. */
  maxInFlight?: number;
  /** `retry-after` (seconds) of an in-flight refusal. */
  inFlightRetryAfterSeconds?: number;
}

export type Admission =
  | { admitted: true; /** Gives back the unused output reservation, once the answer is known. */ finish(outputTokens: number): void }
  | { admitted: false; retryAfterSeconds: number; message: string };

export interface FakeRateLimits {
  admit(request: { inputTokens: number; maxTokens: number }): Admission;
  /** The anthropic-ratelimit-* headers as of now. */
  headers(): Record<string, string>;
  /** Most requests in flight at once so far. */
  peakInFlight(): number;
}

interface Bucket {
  name: 'requests' | 'input-tokens' | 'output-tokens';
  limit: number;
  tokens: number;
  at: number;
}

/** Generous defaults (a large organisation): tests set what they exercise. */
const DEFAULTS = { requestsPerMinute: 100_000, inputTokensPerMinute: 400_000_000, outputTokensPerMinute: 80_000_000 };

export function fakeRateLimits(options: FakeRateLimitOptions = {}): FakeRateLimits {
  const now = () => Date.now();
  const bucket = (name: Bucket['name'], limit: number): Bucket => ({ name, limit, tokens: limit, at: now() });
  const requests = bucket('requests', options.requestsPerMinute ?? DEFAULTS.requestsPerMinute);
  const input = bucket('input-tokens', options.inputTokensPerMinute ?? DEFAULTS.inputTokensPerMinute);
  const output = bucket('output-tokens', options.outputTokensPerMinute ?? DEFAULTS.outputTokensPerMinute);
  const refill = (b: Bucket) => {
    const t = now();
    b.tokens = Math.min(b.limit, b.tokens + ((t - b.at) * b.limit) / 60_000);
    b.at = t;
  };
  let inFlight = 0;
  let peak = 0;
  return {
    admit: ({ inputTokens, maxTokens }) => {
      if (options.maxInFlight !== undefined && inFlight >= options.maxInFlight) {
        return {
          admitted: false,
          retryAfterSeconds: options.inFlightRetryAfterSeconds ?? 1,
          message:
            'Number of concurrent connections has exceeded your rate limit. Please try again later or contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
        };
      }
      const needs: [Bucket, number][] = [
        [requests, 1],
        [input, inputTokens],
        [output, Math.min(maxTokens, output.limit)],
      ];
      for (const [b, need] of needs) {
        refill(b);
        if (b.tokens < need) {
          return {
            admitted: false,
            retryAfterSeconds: Math.max(1, Math.ceil(((need - b.tokens) * 60) / b.limit)),
            message: `This request would exceed the rate limit for your organization of ${b.limit.toLocaleString('en-US')} ${b.name.replace('-', ' ')} per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.`,
          };
        }
      }
      for (const [b, need] of needs) b.tokens -= need;
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      const reserved = Math.min(maxTokens, output.limit);
      let finished = false;
      return {
        admitted: true,
        finish: (outputTokens) => {
          if (finished) return;
          finished = true;
          inFlight -= 1;
          refill(output);
          output.tokens = Math.min(output.limit, output.tokens + reserved - outputTokens);
        },
      };
    },
    headers: () => {
      const headers: Record<string, string> = {};
      for (const b of [requests, input, output]) {
        refill(b);
        const remaining = Math.max(0, Math.floor(b.tokens));
        headers[`anthropic-ratelimit-${b.name}-limit`] = String(b.limit);
        headers[`anthropic-ratelimit-${b.name}-remaining`] = String(remaining);
        headers[`anthropic-ratelimit-${b.name}-reset`] = new Date(
          now() + Math.ceil(((b.limit - remaining) * 60_000) / b.limit),
        ).toISOString();
      }
      // tokens-*: the most restrictive of the input and output limits.
      const tight = input.tokens / input.limit <= output.tokens / output.limit ? input : output;
      for (const part of ['limit', 'remaining', 'reset'])
        headers[`anthropic-ratelimit-tokens-${part}`] = headers[`anthropic-ratelimit-${tight.name}-${part}`] ?? '';
      return headers;
    },
    peakInFlight: () => peak,
  };
}
