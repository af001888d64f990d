import type { RedisClient } from '../../src/queue/create-redis.ts';
import type { AuditEvent } from '../../src/contract/audit-event.ts';
import { auditStreamKey } from '../../src/audit/audit-log.ts';

/** Every audit event in the stack's stream, oldest first, with the stream's raw text for leak checks. */
export async function readAudit(redis: RedisClient, prefix: string): Promise<{ events: AuditEvent[]; raw: string }> {
  const entries = await redis.xrange(auditStreamKey(prefix), '-', '+');
  const raw = JSON.stringify(entries);
  const events = entries.map(([, fields]) => {
    const at = fields.indexOf('event');
    return JSON.parse(fields[at + 1] ?? 'null') as AuditEvent;
  });
  return { events, raw };
}
