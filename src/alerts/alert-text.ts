import { fenceUntrusted } from '../mcp/fence-untrusted.ts';
import type { AlertNotification, WebhookAlert } from '../queue/alert-job.ts';

/** Labels shown on the root message; the rest are in the thread memory and Alertmanager. */
const LABELS_SHOWN = 12;
/** Alerts listed one by one on the root message of a larger group. */
const ALERTS_LISTED = 5;

/** The group's name as people know it: its alertname, else its group labels. */
export function alertGroupName(notification: AlertNotification): string {
  const { groupLabels, commonLabels } = notification;
  return groupLabels.alertname ?? commonLabels.alertname ?? (formatLabels(groupLabels) || 'alert group');
}

export function alertSeverity(notification: AlertNotification): string | undefined {
  return notification.commonLabels.severity ?? notification.alerts.find((alert) => alert.status === 'firing')?.labels.severity;
}

export function alertSummary(notification: AlertNotification): string | undefined {
  const first = notification.alerts[0]?.annotations;
  return notification.commonAnnotations.summary ?? first?.summary ?? notification.commonAnnotations.description ?? first?.description;
}

/** The PromQL of the rule, from Prometheus' generator URL (`/graph?g0.expr=…`). */
export function generatorQuery(generatorURL: string): string | undefined {
  try {
    return new URL(generatorURL).searchParams.get('g0.expr') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Alertmanager's "new silence" form, pre-filled with the group's common labels. */
export function silenceUrl(notification: AlertNotification): string | undefined {
  if (!/^https?:\/\//.test(notification.externalURL)) return undefined;
  const matchers = Object.entries(notification.commonLabels)
    .map(([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(',');
  return `${notification.externalURL.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(`{${matchers}}`)}`;
}

const counts = (notification: AlertNotification) => {
  const firing = notification.alerts.filter((alert) => alert.status === 'firing').length;
  return { firing, resolved: notification.alerts.length - firing };
};

/** The root message of an alert thread (Markdown): status, severity, summary, labels, links. */
export function alertRootText(notification: AlertNotification): string {
  const { firing, resolved } = counts(notification);
  const severity = alertSeverity(notification);
  const head = notification.status === 'firing' ? '🔥 **FIRING**' : '✅ **RESOLVED**';
  const tally = notification.status === 'firing' ? `${firing} firing${resolved > 0 ? `, ${resolved} resolved` : ''}` : `${notification.alerts.length} resolved`;
  const lines = [`${head} · **${alertGroupName(notification)}**${severity === undefined ? '' : ` · severity \`${severity}\``} · ${tally}`];
  const summary = alertSummary(notification);
  if (summary !== undefined) lines.push(`> ${oneLine(summary)}`);
  const labels = Object.entries(notification.commonLabels).slice(0, LABELS_SHOWN);
  if (labels.length > 0) lines.push(`Labels: ${labels.map(([name, value]) => `\`${name}=${value}\``).join(' ')}`);
  if (notification.alerts.length > 1) {
    for (const alert of notification.alerts.slice(0, ALERTS_LISTED)) {
      lines.push(`- ${alert.status === 'firing' ? '🔥' : '✅'} ${ownLabels(alert, notification) || alert.fingerprint} since ${alert.startsAt}`);
    }
    if (notification.alerts.length > ALERTS_LISTED) lines.push(`- … and ${notification.alerts.length - ALERTS_LISTED} more`);
  } else if (notification.alerts[0] !== undefined) {
    lines.push(`Since ${notification.alerts[0].startsAt}${notification.status === 'resolved' ? ` · ended ${notification.alerts[0].endsAt}` : ''}`);
  }
  lines.push(links(notification).join(' · '));
  lines.push('_Ask me about it in this thread._');
  return lines.filter((line) => line !== '').join('\n');
}

/** The line added in the thread when the group changes. */
export function alertChangeText(notification: AlertNotification): string {
  const { firing, resolved } = counts(notification);
  const at = new Date().toISOString();
  const total = notification.alerts.length;
  if (notification.status === 'resolved') return `✅ Resolved (${at}): ${total === 1 ? 'the alert' : `all ${total} alerts`} of **${alertGroupName(notification)}** ended.`;
  return `🔥 Changed (${at}): ${firing} firing${resolved > 0 ? `, ${resolved} resolved` : ''}.`;
}

/**
 * The alert as the model sees it in the thread's memory: everything a follow-up ("why?") needs to
 * start from — labels, annotations, start (and end) times, the rule's query and links.
 */
export function alertContextText(notification: AlertNotification, event: 'opened' | 'changed'): string {
  const intro =
    event === 'opened'
      ? 'Alertmanager opened this thread for an alert group. This is context for later questions here, not a question.'
      : 'Alertmanager sent an update for the alert group of this thread.';
  const lines = [
    `Group: ${alertGroupName(notification)} — status ${notification.status}, receiver ${notification.receiver}, group labels {${formatLabels(notification.groupLabels)}}`,
  ];
  if (notification.truncatedAlerts > 0) lines.push(`(${notification.truncatedAlerts} more alerts were left out by Alertmanager)`);
  notification.alerts.forEach((alert, index) => {
    lines.push(`Alert ${index + 1}: ${alert.status}, started ${alert.startsAt}${alert.status === 'resolved' ? `, ended ${alert.endsAt}` : ''}`);
    lines.push(`  labels: {${formatLabels(alert.labels)}}`);
    for (const [name, value] of Object.entries(alert.annotations)) lines.push(`  annotation ${name}: ${oneLine(value)}`);
    const query = generatorQuery(alert.generatorURL);
    if (query !== undefined) lines.push(`  rule query (PromQL): ${query}`);
    if (alert.generatorURL !== '') lines.push(`  source: ${alert.generatorURL}`);
  });
  // Label and annotation values come from metrics, which can carry text from the cluster (pod names,
  // reasons, messages): fenced like any other cluster text, so it is read as data, never as instructions.
  return `${intro}\n${fenceUntrusted({ source: 'Alertmanager notification: labels, annotations and queries', text: lines.join('\n') })}`;
}

function links(notification: AlertNotification): string[] {
  const source = notification.alerts.find((alert) => /^https?:\/\//.test(alert.generatorURL))?.generatorURL;
  const silence = silenceUrl(notification);
  return [
    ...(source === undefined ? [] : [`[Source](${source})`]),
    ...(silence === undefined || notification.status === 'resolved' ? [] : [`[Silence](${silence})`]),
    ...(/^https?:\/\//.test(notification.externalURL) ? [`[Alertmanager](${notification.externalURL})`] : []),
  ];
}

/** The labels that tell this alert apart from the rest of its group. */
function ownLabels(alert: WebhookAlert, notification: AlertNotification): string {
  return formatLabels(Object.fromEntries(Object.entries(alert.labels).filter(([name]) => !(name in notification.commonLabels))));
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
