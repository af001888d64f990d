import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import type { Logger } from '../log/create-logger.ts';
import { ACQUIRE_SCRIPT, REFRESH_SCRIPT, RELEASE_SCRIPT } from './limiter-scripts.ts';
import { permitQueue, type PermitRequest } from './permit-queue.ts';
import type { RateLimitSnapshot } from './rate-limit-headers.ts';

/** People's questions go first; alert investigations yield to them while the limiter is saturated. */
export type ModelCallPriority = 'interactive' | 'background';

export interface ModelLimits {
  /** Model calls in flight across all workers at most (the ceiling of the adaptive limit). */
  maxInFlight: number;
  /** Our own per-minute limits, below the API's (0: none; the API's limits are learned from its headers). */
  requestsPerMinute: number;
  inputTokensPerMinute: number;
  outputTokensPerMinute: number;
}

/** What became of a call, for the shared state: the API's limits, its refusals and what it charged. */
export interface ModelCallOutcome {
  /** HTTP status; undefined when no answer came (connection failure). */
  status: number | undefined;
  retryAfterMs?: number | undefined;
  rateLimits?: RateLimitSnapshot;
  /** Tokens the API counts against its per-minute limits (input incl. cache writes, not cache reads; output). */
  usage?: { inputTokens: number; outputTokens: number } | undefined;
}

export interface ModelPermit {
  /** Frees the call's slot and records its outcome; never throws (a Redis failure is logged). */
  release(outcome: ModelCallOutcome): Promise<void>;
}

export interface AcquireOptions {
  priority: ModelCallPriority;
  /** Estimated input tokens (corrected on release) and max_tokens (what the API reserves for output). */
  inputTokens: number;
  outputTokens: number;
  /** When the call first asked: a retry keeps its place ahead of calls that asked later. */
  since?: number;
  signal?: AbortSignal | undefined;
  /** Give up waiting at this time (epoch ms) with ModelLimiterDeadlineError; absent: wait as long as it takes. */
  deadline?: number | undefined;
}

export interface ModelLimiter {
  /** Waits until the call may go (waiting is not an error), then holds one in-flight slot until released. */
  acquire(options: AcquireOptions): Promise<ModelPermit>;
  /** Stops refreshing leases; permits still held expire with their leases. */
  close(): void;
}

export interface ModelLimiterOptions {
  redis: RedisClient;
  /** Key prefix (QUEUE_PREFIX): limiters sharing a prefix and a Redis share one set of limits. */
  prefix: string;
  limits: ModelLimits;
  logger: Logger;
  /** A slot whose worker died is freed this long after its last refresh (refreshed every third of it). */
  leaseTtlMs?: number;
  /** Pause after a 529 that names no Retry-After. */
  overloadPauseMs?: number;
}

/**
 * The one limiter of model calls shared by all workers through Redis (decision 015): an in-flight limit
 * that shrinks on 429/529 and grows back with successes, token buckets for requests and input/output
 * tokens per minute that follow the API's anthropic-ratelimit-* headers, a pause all workers honour after a
 * refusal, and priority for people's questions. Waiting callers queue in this process; the head of the queue
 * asks Redis, and is woken by local releases or polls for other workers' releases.
 */
export function modelLimiter({
  redis,
  prefix,
  limits,
  logger,
  leaseTtlMs = 15_000,
  overloadPauseMs = 2_000,
}: ModelLimiterOptions): ModelLimiter {
  // Every script gets all three keys as KEYS; they share the {prefix} tag, so one slot on a Redis Cluster.
  const { modelLimiterState, modelLimiterLeases, modelLimiterWaiting } = redisKeys(prefix);
  const keys = [modelLimiterState, modelLimiterLeases, modelLimiterWaiting];
  const workerId = randomUUID();
  const held = new Set<string>();
  const limitArgs = [limits.maxInFlight, limits.requestsPerMinute, limits.inputTokensPerMinute, limits.outputTokensPerMinute].map(String);
  const log = logger.child({ component: 'model-limiter' });

  const releaseLease = async (leaseId: string, estimate: { inputTokens: number; outputTokens: number }, outcome: ModelCallOutcome) => {
    held.delete(leaseId);
    const { status, retryAfterMs, rateLimits, usage } = outcome;
    const header = (b: 'requests' | 'inputTokens' | 'outputTokens') => [
      String(rateLimits?.[b]?.limit ?? -1),
      String(rateLimits?.[b]?.remaining ?? -1),
    ];
    try {
      const [limitMilli, pauseMs, lowered] = (await redis.eval(
        RELEASE_SCRIPT,
        3,
        ...keys,
        leaseId,
        String(status ?? 0),
        String(retryAfterMs === undefined ? -1 : Math.ceil(retryAfterMs)),
        String(Math.ceil(estimate.inputTokens)),
        String(Math.ceil(estimate.outputTokens)),
        String(usage === undefined ? -1 : usage.inputTokens),
        String(usage === undefined ? -1 : usage.outputTokens),
        ...limitArgs,
        ...header('requests'),
        ...header('inputTokens'),
        ...header('outputTokens'),
        String(overloadPauseMs),
        '1000',
      )) as [number, number, number];
      if (lowered === 1)
        log.info(
          { status, inFlightLimit: Math.floor(limitMilli / 1000), pauseMs },
          'the model refused calls; lowered the shared in-flight limit',
        );
    } catch (error) {
      log.warn({ err: error }, 'could not record a model call in the limiter; its slot frees when its lease expires');
    } finally {
      queue.wake();
    }
  };

  const queue = permitQueue({
    tryAcquire: async (request: PermitRequest, { othersInteractive }) => {
      const leaseId = `${workerId}:${randomUUID()}`;
      const interactive = request.priority === 'interactive';
      const [granted, waitMs, reason] = (await redis.eval(
        ACQUIRE_SCRIPT,
        3,
        ...keys,
        leaseId,
        workerId,
        interactive ? '0' : '1',
        String(Math.ceil(request.inputTokens)),
        String(Math.ceil(request.outputTokens)),
        ...limitArgs,
        String(leaseTtlMs),
        interactive || othersInteractive ? '1' : '0',
        othersInteractive ? '1' : '0',
        String(Math.max(3_000, leaseTtlMs / 5)),
      )) as [number, number, string];
      if (granted === 1) held.add(leaseId);
      return granted === 1 ? { granted: true, leaseId } : { granted: false, waitMs, reason };
    },
    onAbandoned: (leaseId, request) => void releaseLease(leaseId, request, { status: undefined }),
    onError: (error) => log.warn({ err: error }, 'model limiter could not reach Redis; retrying'),
  });

  const refresh = setInterval(() => {
    if (held.size === 0) return;
    redis
      .eval(REFRESH_SCRIPT, 1, keys[1] ?? '', String(leaseTtlMs), ...held)
      .catch((error: unknown) => log.warn({ err: error }, 'could not refresh model call leases'));
  }, leaseTtlMs / 3);
  refresh.unref();

  return {
    acquire: async (options) => {
      const { leaseId } = await queue.acquire({
        priority: options.priority,
        inputTokens: options.inputTokens,
        outputTokens: options.outputTokens,
        since: options.since ?? Date.now(),
        signal: options.signal,
        deadline: options.deadline,
      });
      let released = false;
      return {
        release: async (outcome) => {
          if (released) return;
          released = true;
          await releaseLease(leaseId, options, outcome);
        },
      };
    },
    close: () => {
      clearInterval(refresh);
      queue.close();
    },
  };
}
