import type { RedisClient } from '../queue/create-redis.ts';
import { redisKeys } from '../queue/redis-keys.ts';
import type { Logger } from '../log/create-logger.ts';
import { observeAuditEvent } from '../metrics/process-metrics.ts';
import type { AuditEvent } from '../contract/audit-event.ts';

export interface AuditLog {
  /** Never throws: an audit write that fails is logged and the answer goes on. */
  record(event: AuditEvent): Promise<void>;
}

export interface AuditLogOptions {
  redis: RedisClient;
  prefix: string;
  /** AUDIT_MAX_EVENTS: the stream is trimmed to about this many events. */
  maxEvents: number;
  logger: Logger;
}

export const auditStreamKey = (prefix: string) => redisKeys(prefix).audit;

/**
 * Audit events go to a Redis stream (queryable with XRANGE, bounded so it cannot fill Redis) and to the
 * JSON log (shipped wherever the logs go, kept as long as they are). `MAXLEN ~` trims whole stream nodes,
 * which is cheap; the stream may hold up to one node (~100 events) more than `maxEvents`.
 */
export function auditLog({ redis, prefix, maxEvents, logger }: AuditLogOptions): AuditLog {
  const key = auditStreamKey(prefix);
  return {
    async record(event) {
      logger.info({ audit: event }, 'audit');
      observeAuditEvent(event); // /metrics counts answers, tool calls, tokens and approvals from these
      try {
        await redis.xadd(key, 'MAXLEN', '~', maxEvents, '*', 'kind', event.kind, 'event', JSON.stringify(event));
      } catch (error) {
        logger.warn({ err: error, kind: event.kind, jobId: event.jobId }, 'audit event not written to Redis');
      }
    },
  };
}
