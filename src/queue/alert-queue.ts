import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../log/create-logger.ts';
import { logErrors } from './log-errors.ts';
import { redisKeys } from './redis-keys.ts';
import type { AlertJob, AlertNotification } from './alert-job.ts';
import { chatJobOptions, DEFAULT_PREFIX } from './chat-queue.ts';

export const ALERT_QUEUE = 'alert';

export function createAlertQueue({
  connection,
  prefix = DEFAULT_PREFIX,
  logger,
}: {
  connection: ConnectionOptions;
  prefix?: string;
  logger: Logger;
}): Queue<AlertJob> {
  const queue = new Queue<AlertJob>(ALERT_QUEUE, { connection, prefix: redisKeys(prefix).queuePrefix });
  logErrors(queue, logger, `${ALERT_QUEUE} queue`);
  return queue;
}

/**
 * The group key and a hash of the notification's content: Alertmanager re-sending the same notification
 * (a retried POST, a repeat with nothing changed, two replicas of an HA pair) is one job, which BullMQ
 * ignores while it keeps the finished job (a day, as for chat jobs); a change is a new job.
 */
export function alertJobId(notification: AlertNotification): string {
  const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);
  return `alert-${digest(notification.groupKey)}-${digest(canonicalJson(notification))}`;
}

export async function enqueueAlertJob(queue: Queue<AlertJob>, job: AlertJob): Promise<string> {
  const jobId = alertJobId(job.notification);
  await queue.add('notify', job, { ...chatJobOptions, jobId });
  return jobId;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
