import { z } from 'zod';

/** One alert of a notification, as Alertmanager's webhook (version 4) sends it. */
export const webhookAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string().min(1),
  /** `0001-01-01T00:00:00Z` while the alert fires without a known end. */
  endsAt: z.string().default(''),
  generatorURL: z.string().default(''),
  fingerprint: z.string().default(''),
});
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;

/**
 * Alertmanager's webhook payload, version "4" (prometheus/alertmanager notify/webhook). One payload is
 * one notification for one alert group (`groupKey`): the group's current alerts, firing and resolved.
 */
export const alertNotificationSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(4096),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()).default({}),
  commonLabels: z.record(z.string(), z.string()).default({}),
  commonAnnotations: z.record(z.string(), z.string()).default({}),
  externalURL: z.string().default(''),
  alerts: z.array(webhookAlertSchema).min(1),
});
export type AlertNotification = z.infer<typeof alertNotificationSchema>;

/** What the gateway enqueues for the alert worker: the notification as received, and when. */
export const alertJobSchema = z.object({
  notification: alertNotificationSchema,
  /** ISO-8601 time the gateway received it: orders notifications of one group. */
  receivedAt: z.string(),
});
export type AlertJob = z.infer<typeof alertJobSchema>;
