import { setTimeout as sleep } from 'node:timers/promises';
import type Anthropic from '@anthropic-ai/sdk';
import type { Middleware, MiddlewareContext } from '@anthropic-ai/sdk';
import { ModelUnavailableError } from '../agent/errors.ts';
import { retryAfterMs } from '../http/retry-after-ms.ts';
import type { Logger } from '../log/create-logger.ts';
import { ModelLimiterError } from './errors.ts';
import type { ModelCallPriority, ModelLimiter, ModelPermit } from './model-limiter.ts';
import { exhaustedResetMs, rateLimitHeaders } from './rate-limit-headers.ts';

export interface LimitedModelMiddlewareOptions {
  limiter: ModelLimiter;
  priority: ModelCallPriority;
  /** How long after its first refusal or failure a call keeps retrying before ModelUnavailableError. */
  retryWindowMs: number;
  logger: Logger;
  /** Full jitter: a retry waits any Retry-After plus a random time up to min(cap, base × 2^retry). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
}

/** Statuses worth another try: rate limited, overloaded, or failing at the API's end. */
const RETRIED = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/**
 * SDK middleware that puts every Messages API call through the shared limiter and does all retrying (the
 * client runs with maxRetries 0, so the two never multiply): a call waits for a slot, reports what the answer
 * said about the API's limits, and after a 429/529/5xx or a broken connection tries again after the
 * Retry-After plus full jitter, keeping its place in the queue, until its retry window closes. Then it throws
 * the agent's ModelUnavailableError (the job is re-queued with a delay). Waiting for a slot is not an error.
 */
export function limitedModelMiddleware({
  limiter,
  priority,
  retryWindowMs,
  logger,
  backoffBaseMs = 250,
  backoffCapMs = 30_000,
  random = Math.random,
}: LimitedModelMiddlewareOptions): Middleware {
  return async (request, next, ctx) => {
    if (request.method !== 'POST' || !new URL(request.url).pathname.endsWith('/v1/messages')) return next(request);
    const signal = request.signal ?? undefined;
    const estimate = estimateTokens(request.body, ctx);
    const since = Date.now();
    let firstFailureAt: number | undefined;
    for (let attempt = 0; ; attempt += 1) {
      const deadline = firstFailureAt === undefined ? undefined : firstFailureAt + retryWindowMs;
      let permit: ModelPermit;
      try {
        permit = await limiter.acquire({ priority, ...estimate, since, signal, deadline });
      } catch (error) {
        if (error instanceof ModelLimiterError)
          throw giveUp({ status: undefined, attempts: attempt, since, reason: error, logger, priority });
        throw error;
      }
      let status: number | undefined;
      let wait: number | undefined;
      let failure: unknown;
      try {
        const response = await next(request);
        const rateLimits = rateLimitHeaders(response.headers);
        if (response.ok) {
          await permit.release({ status: response.status, rateLimits, usage: await chargedUsage(ctx, response) });
          return response;
        }
        if (!RETRIED.has(response.status)) {
          await permit.release({ status: response.status, rateLimits });
          return response; // the SDK turns it into its error (a refused key, a bad request): retrying will not help
        }
        status = response.status;
        wait = retryAfterMs(response.headers.get('retry-after')) ?? (status === 429 ? exhaustedResetMs(rateLimits) : undefined);
        await permit.release({ status, retryAfterMs: wait, rateLimits });
        failure = new Error(`HTTP ${status}`);
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        await permit.release({ status: undefined });
        if (signal?.aborted === true) throw error;
        failure = error;
      }
      firstFailureAt ??= Date.now();
      const delay = (wait ?? 0) + random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt);
      if (Date.now() + delay > firstFailureAt + retryWindowMs) {
        throw giveUp({ status, attempts: attempt + 1, since, reason: failure, logger, priority });
      }
      logger.debug(
        { component: 'model-limiter', status, attempt: attempt + 1, delayMs: Math.round(delay), priority },
        'model call refused or failed; retrying',
      );
      await sleep(delay, undefined, signal === undefined ? {} : { signal });
    }
  };
}

/**
 * Input: about four characters a token over the whole request (corrected by the answer's usage); output:
 * max_tokens, which is what the API holds against the output limit until the call ends.
 */
function estimateTokens(body: unknown, ctx: MiddlewareContext): { inputTokens: number; outputTokens: number } {
  const inputTokens = typeof body === 'string' ? Math.ceil(body.length / 4) : 0;
  const params = ctx.options?.body as { max_tokens?: unknown } | undefined;
  const outputTokens = typeof params?.max_tokens === 'number' ? params.max_tokens : 4_096;
  return { inputTokens, outputTokens };
}

/** What the API counts against its per-minute limits: input incl. cache writes (cache reads are free), and output. */
async function chargedUsage(
  ctx: MiddlewareContext,
  response: Response,
): Promise<{ inputTokens: number; outputTokens: number } | undefined> {
  const message = await ctx.parse<Partial<Anthropic.Message>>(response).catch(() => undefined);
  const usage = message?.usage;
  if (usage === undefined) return undefined;
  return { inputTokens: usage.input_tokens + (usage.cache_creation_input_tokens ?? 0), outputTokens: usage.output_tokens };
}

function giveUp({
  status,
  attempts,
  since,
  reason,
  logger,
  priority,
}: {
  status: number | undefined;
  attempts: number;
  since: number;
  reason: unknown;
  logger: Logger;
  priority: ModelCallPriority;
}): ModelUnavailableError {
  const waitedMs = Date.now() - since;
  logger.warn(
    { component: 'model-limiter', status, attempts, waitedMs, priority, reason: reason instanceof Error ? reason.message : String(reason) },
    'model call gave up after its retry window',
  );
  return new ModelUnavailableError(status, reason);
}
