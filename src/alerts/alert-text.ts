import { fenceUntrusted } from '../contract/fence-untrusted.ts';
import type { AlertNotification, WebhookAlert } from '../queue/alert-job.ts';

/** Labels shown on the root message; the rest are in the thread memory and Alertmanager. */
const LABELS_SHOWN = 12;
/** Alerts listed one by one on the root message of a larger group. */
const ALERTS_LISTED = 5;
/** Annotations of one alert in the model's context (rules have a handful: summary, description, runbook_url). */
const ANNOTATIONS_SHOWN = 20;

/**
 * Alert text is written by whoever writes rules and metrics, up to a 1 MiB webhook: what we show and what the
 * model reads is bounded, so a huge annotation costs neither a message Slack refuses nor the whole context.
 */
export const ALERT_TEXT_LIMITS = {
  /** The group's name and a label value on the root message or a thread line. */
  name: 150,
  /** The summary quoted on the root message. */
  summary: 500,
  /** A link longer than this (a silence filter of huge labels) is left out rather than posted. */
  link: 4_000,
  /** One label value or annotation in the model's context. */
  contextValue: 2_000,
  /** The whole alert context pinned in the thread's memory. */
  context: 24_000,
} as const;

/** The group's name as people know it: its alertname, else its group labels. */
export function alertGroupName(notification: AlertNotification): string {
  const { groupLabels, commonLabels } = notification;
  return clip(
    groupLabels.alertname ?? commonLabels.alertname ?? (formatLabels(groupLabels, ALERT_TEXT_LIMITS.name) || 'alert group'),
    ALERT_TEXT_LIMITS.name,
  );
}

export function alertSeverity(notification: AlertNotification): string | undefined {
  const severity = notification.commonLabels.severity ?? notification.alerts.find((alert) => alert.status === 'firing')?.labels.severity;
  return severity === undefined ? undefined : clip(severity, ALERT_TEXT_LIMITS.name);
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
  const tally =
    notification.status === 'firing'
      ? `${firing} firing${resolved > 0 ? `, ${resolved} resolved` : ''}`
      : `${notification.alerts.length} resolved`;
  const lines = [`${head} · **${alertGroupName(notification)}**${severity === undefined ? '' : ` · severity \`${severity}\``} · ${tally}`];
  const summary = alertSummary(notification);
  if (summary !== undefined) lines.push(`> ${oneLine(clip(summary, ALERT_TEXT_LIMITS.summary * 4), ALERT_TEXT_LIMITS.summary)}`);
  const labels = Object.entries(notification.commonLabels).slice(0, LABELS_SHOWN);
  if (labels.length > 0)
    lines.push(
      `Labels: ${labels.map(([name, value]) => `\`${clip(name, ALERT_TEXT_LIMITS.name)}=${clip(value, ALERT_TEXT_LIMITS.name)}\``).join(' ')}`,
    );
  if (notification.alerts.length > 1) {
    for (const alert of notification.alerts.slice(0, ALERTS_LISTED)) {
      lines.push(
        `- ${alert.status === 'firing' ? '🔥' : '✅'} ${ownLabels(alert, notification) || clip(alert.fingerprint, ALERT_TEXT_LIMITS.name)} since ${clip(alert.startsAt, 64)}`,
      );
    }
    if (notification.alerts.length > ALERTS_LISTED) lines.push(`- … and ${notification.alerts.length - ALERTS_LISTED} more`);
  } else if (notification.alerts[0] !== undefined) {
    lines.push(
      `Since ${clip(notification.alerts[0].startsAt, 64)}${notification.status === 'resolved' ? ` · ended ${clip(notification.alerts[0].endsAt, 64)}` : ''}`,
    );
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
  if (notification.status === 'resolved')
    return `✅ Resolved (${at}): ${total === 1 ? 'the alert' : `all ${total} alerts`} of **${alertGroupName(notification)}** ended.`;
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
  const value = (text: string) => oneLine(clip(text, ALERT_TEXT_LIMITS.contextValue * 4), ALERT_TEXT_LIMITS.contextValue);
  const labels = (set: Record<string, string>) =>
    clip(formatLabels(set, ALERT_TEXT_LIMITS.contextValue), ALERT_TEXT_LIMITS.contextValue * 2);
  const lines = [
    `Group: ${alertGroupName(notification)} — status ${notification.status}, receiver ${value(notification.receiver)}, group labels {${labels(notification.groupLabels)}}`,
  ];
  if (notification.truncatedAlerts > 0) lines.push(`(${notification.truncatedAlerts} more alerts were left out by Alertmanager)`);
  let length = 0;
  for (const [index, alert] of notification.alerts.entries()) {
    const described = [
      `Alert ${index + 1}: ${alert.status}, started ${value(alert.startsAt)}${alert.status === 'resolved' ? `, ended ${value(alert.endsAt)}` : ''}`,
      `  labels: {${labels(alert.labels)}}`,
      ...Object.entries(alert.annotations)
        .slice(0, ANNOTATIONS_SHOWN)
        .map(([name, text]) => `  annotation ${value(name)}: ${value(text)}`),
    ];
    const query = generatorQuery(alert.generatorURL);
    if (query !== undefined) described.push(`  rule query (PromQL): ${value(query)}`);
    if (alert.generatorURL !== '') described.push(`  source: ${value(alert.generatorURL)}`);
    length += described.reduce((sum, line) => sum + line.length + 1, 0);
    if (index > 0 && length > ALERT_TEXT_LIMITS.context) {
      lines.push(`(${notification.alerts.length - index} more alerts are left out here; ask Alertmanager for them)`);
      break;
    }
    lines.push(...described);
  }
  // Label and annotation values come from metrics, which can carry text from the cluster (pod names,
  // reasons, messages): fenced like any other cluster text, so it is read as data, never as instructions.
  return `${intro}\n${fenceUntrusted({ source: 'Alertmanager notification: labels, annotations and queries', text: lines.join('\n') })}`;
}

function links(notification: AlertNotification): string[] {
  const fits = (url: string | undefined): url is string =>
    url !== undefined && url.length <= ALERT_TEXT_LIMITS.link && /^https?:\/\//.test(url);
  const source = notification.alerts.find((alert) => fits(alert.generatorURL))?.generatorURL;
  // Labels longer than a link can be would make a silence link that is left out anyway: not built at all.
  const labelChars = Object.entries(notification.commonLabels).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  const silence = notification.status === 'resolved' || labelChars > ALERT_TEXT_LIMITS.link ? undefined : silenceUrl(notification);
  return [
    ...(fits(source) ? [`[Source](${source})`] : []),
    ...(fits(silence) ? [`[Silence](${silence})`] : []),
    ...(fits(notification.externalURL) ? [`[Alertmanager](${notification.externalURL})`] : []),
  ];
}

/** The labels that tell this alert apart from the rest of its group. */
function ownLabels(alert: WebhookAlert, notification: AlertNotification): string {
  return formatLabels(
    Object.fromEntries(Object.entries(alert.labels).filter(([name]) => !(name in notification.commonLabels))),
    ALERT_TEXT_LIMITS.name,
  );
}

function formatLabels(labels: Record<string, string>, valueChars: number): string {
  return Object.entries(labels)
    .map(([name, value]) => `${clip(name, valueChars)}="${clip(value, valueChars)}"`)
    .join(', ');
}

/** On one line; `max` bounds the result (the input is clipped first by the caller, so this stays cheap). */
const oneLine = (text: string, max = Infinity) => clip(text.replace(/\s+/g, ' ').trim(), max);

/** At most `max` characters, `…` marking a cut, never half a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}
