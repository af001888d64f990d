import type { AlertNotification } from '../queue/alert-job.ts';
import type { AlertThread } from './alert-thread-store.ts';

/**
 * Whether a notification starts a new firing episode of a group whose thread shows it resolved: it fires, it was
 * received after the thread's last state, and its alerts started after every alert the thread showed (a late copy
 * of the old firing state has the old start times). A new episode is a new incident, so it gets its own thread,
 * whose root can point back at this one.
 */
export function isNewEpisode(thread: AlertThread, notification: AlertNotification, receivedAt: string): boolean {
  if (notification.status !== 'firing' || !thread.digest.startsWith('resolved|') || thread.receivedAt >= receivedAt) return false;
  const shownStarts = [...thread.digest.matchAll(/@([^,]+)/g)].map((match) => match[1] ?? '');
  const latestShown = shownStarts.sort().at(-1) ?? '';
  return notification.alerts.filter((alert) => alert.status === 'firing').every((alert) => alert.startsAt > latestShown);
}
