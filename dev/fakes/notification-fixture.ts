import { alertNotificationSchema, type AlertNotification } from '../../src/queue/alert-job.ts';

/** A version 4 payload as Alertmanager 0.25 sends it (captured from the real binary, shortened). */
export function notificationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    receiver: 'ai4k8s',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Always', severity: 'critical' },
        annotations: { summary: 'always firing' },
        startsAt: '2026-11-25T14:37:59.234Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:34077/graph?g0.expr=vector%281%29+%3E+0&g0.tab=1',
        fingerprint: '5b2477740f3a87a9',
      },
    ],
    groupLabels: { alertname: 'Always' },
    commonLabels: { alertname: 'Always', severity: 'critical' },
    commonAnnotations: { summary: 'always firing' },
    externalURL: 'http://127.0.0.1:34269',
    version: '4',
    groupKey: '{}:{alertname="Always"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

/** The same payload, parsed as the worker receives it. */
export function notification(overrides: Record<string, unknown> = {}): AlertNotification {
  return alertNotificationSchema.parse(notificationBody(overrides));
}
