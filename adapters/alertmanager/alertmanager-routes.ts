import { BodyTooLargeError, readBody, sendJson, type Routes } from '../../src/http/start-http-server.ts';
import type { Logger } from '../../src/log/create-logger.ts';
import { alertNotificationSchema, type AlertJob } from '../../src/queue/alert-job.ts';
import { alertsTokenMatches } from './alerts-token-matches.ts';

/**
 * Alertmanager caps nothing by default; a group of a few hundred alerts with long annotations is well
 * under this. Larger payloads should use the receiver's `max_alerts`.
 */
export const ALERT_BODY_LIMIT = 1024 * 1024;

export interface AlertmanagerRoutesOptions {
  /** ALERTS_TOKEN: the bearer token or basic-auth password Alertmanager must send. */
  token: string;
  /** Enqueues the alert job once per distinct notification; returns the job id. */
  enqueue: (job: AlertJob) => Promise<string>;
  logger: Logger;
}

/**
 * `POST /alerts/alertmanager`: authenticates, validates the version 4 payload, enqueues, acks 200.
 * Threads, routing and investigation happen in the worker. A failed enqueue answers 500, so
 * Alertmanager retries; the job id dedupes the retry.
 */
export function alertmanagerRoutes({ token, enqueue, logger }: AlertmanagerRoutesOptions): Routes {
  const log = logger.child({ component: 'alertmanager' });
  return {
    'POST /alerts/alertmanager': async (req, res) => {
      if (!alertsTokenMatches(req.headers.authorization, token)) {
        // Unread body: close the connection rather than reuse it.
        res.setHeader('connection', 'close');
        res.setHeader('www-authenticate', 'Bearer realm="ai4k8s alerts"');
        sendJson(res, 401, { error: 'unauthorized' });
        return;
      }
      if (Number(req.headers['content-length'] ?? 0) > ALERT_BODY_LIMIT) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { error: 'payload_too_large', limitBytes: ALERT_BODY_LIMIT });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, ALERT_BODY_LIMIT)).toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          res.setHeader('connection', 'close');
          sendJson(res, 413, { error: 'payload_too_large', limitBytes: ALERT_BODY_LIMIT });
          return;
        }
        sendJson(res, 400, { error: 'invalid_json' });
        return;
      }
      const parsed = alertNotificationSchema.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
        log.warn({ issues }, 'alertmanager webhook refused: not a version 4 payload');
        sendJson(res, 400, { error: 'invalid_payload', issues });
        return;
      }
      const notification = parsed.data;
      const jobId = await enqueue({ notification, receivedAt: new Date().toISOString() });
      log.info(
        { jobId, groupKey: notification.groupKey, status: notification.status, alerts: notification.alerts.length },
        'alert notification queued',
      );
      sendJson(res, 200, { status: 'queued', jobId });
    },
  };
}
