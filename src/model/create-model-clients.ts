import Anthropic from '@anthropic-ai/sdk';
import type { RedisClient } from '../queue/create-redis.ts';
import type { Logger } from '../log/create-logger.ts';
import { limitedModelMiddleware } from './limited-model-middleware.ts';
import { modelLimiter, type ModelCallPriority, type ModelLimits } from './model-limiter.ts';

export interface ModelClients {
  /** The Anthropic client for calls of this priority; both share one limiter. */
  client(priority: ModelCallPriority): Anthropic;
  close(): void;
}

export interface CreateModelClientsOptions {
  apiKey: string;
  baseURL?: string | undefined;
  redis: RedisClient;
  /** QUEUE_PREFIX: every worker on this prefix shares the limits. */
  prefix: string;
  limits: ModelLimits;
  /** MODEL_RETRY_WINDOW_MS. */
  retryWindowMs: number;
  logger: Logger;
  /** Per attempt: a model turn that takes longer is a failure (retried within the window). */
  timeoutMs?: number;
}

/**
 * Anthropic clients whose every Messages call goes through the shared limiter (decision 015): the SDK makes
 * no retries of its own (maxRetries 0), the limiter's middleware makes them all, with jitter and within the
 * retry window. One client per priority, so an alert investigation's calls yield to people's questions.
 */
export function createModelClients({
  apiKey,
  baseURL,
  redis,
  prefix,
  limits,
  retryWindowMs,
  logger,
  timeoutMs = 120_000,
}: CreateModelClientsOptions): ModelClients {
  const limiter = modelLimiter({ redis, prefix, limits, logger });
  const clientFor = (priority: ModelCallPriority) =>
    new Anthropic({
      apiKey,
      baseURL,
      maxRetries: 0,
      timeout: timeoutMs,
      middleware: [limitedModelMiddleware({ limiter, priority, retryWindowMs, logger })],
    });
  const clients = { interactive: clientFor('interactive'), background: clientFor('background') };
  return {
    client: (priority) => clients[priority],
    close: () => limiter.close(),
  };
}
