import type { AlertNotification } from '../queue/alert-job.ts';
import type { ChatJob, ReplyTarget } from '../queue/chat-job.ts';
import { alertGroupName, alertSummary } from './alert-text.ts';

/** Who asks an automatic investigation: map `<platform>:<team>:alertmanager` in the identity policy. */
export const INVESTIGATOR_USER = { id: 'alertmanager', name: 'Alertmanager' } as const;

export interface InvestigationJobOptions {
  notification: AlertNotification;
  /** The alert thread (threadTs set to its root). */
  target: ReplyTarget & { threadTs: string };
  conversationKey: string;
  destination: string;
}

/**
 * The chat job that asks the agent to investigate a firing group in its thread. The delivery id is the
 * group, its earliest firing start and the destination, so repeats and changes of the same firing
 * episode never start a second investigation; a new episode (it fired again later) does.
 */
export function investigationJob({ notification, target, conversationKey, destination }: InvestigationJobOptions): ChatJob | undefined {
  const starts = notification.alerts.filter((alert) => alert.status === 'firing').map((alert) => alert.startsAt).sort();
  const firstStart = starts[0];
  if (firstStart === undefined) return undefined;
  const summary = alertSummary(notification);
  return {
    platform: target.platform,
    deliveryId: `alert-investigation:${notification.groupKey}:${firstStart}:${destination}`,
    conversationKey,
    replyTarget: target,
    user: { ...INVESTIGATOR_USER },
    text: [
      `Investigate the alert "${alertGroupName(notification)}"${summary === undefined ? '' : ` (${summary})`} described at the start of this thread.`,
      'Use the read-only cluster and monitoring tools to find the likely cause, then say briefly what you found, how sure you are, and what to do next.',
      'Do not change anything.',
    ].join(' '),
    receivedAt: new Date().toISOString(),
  };
}
