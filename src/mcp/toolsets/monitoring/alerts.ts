import { z } from 'zod';
import type { AlertmanagerAlert } from '../../../monitoring/alertmanager-client.ts';
import type { MonitoringClients } from '../../../monitoring/monitoring-clients.ts';
import { clipText } from '../../../kube/clip-text.ts';
import { own, untrusted } from '../../result-parts.ts';
import { formatTable } from '../../format-table.ts';
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tool-definition.ts';
import { asMonitoringTool } from './monitoring-failure.ts';
import { TOOL_NAMES } from '../../../contract/tool-names.ts';
import { alertsListContentSchema } from '../../../contract/alerts-list-content.ts';

export const alertMatcherList = z
  .array(z.string().min(3).max(300))
  .max(20)
  .default([])
  .describe(
    'Label matchers in Alertmanager syntax, all must hold, e.g. ["alertname=\\"KubePodCrashLooping\\"", "namespace=~\\"shop|payments\\""].',
  );

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info', 'none'];

/** Alertmanager tools; none without ALERTMANAGER_URL. */
export function alertTools(monitoring: MonitoringClients = {}): ToolDefinition[] {
  const alertmanager = monitoring.alertmanager;
  if (alertmanager === undefined) return [];
  return [
    defineTool({
      name: TOOL_NAMES.alertsList,
      title: 'List alerts (Alertmanager)',
      description:
        'Lists alerts Alertmanager knows, most severe and newest first: state, severity, name, since when, labels, and the ' +
        "rule's summary/description. Active (not silenced or inhibited) alerts by default; filter with label matchers.",
      inputSchema: {
        matchers: alertMatcherList,
        silenced: z.boolean().default(false).describe('Include silenced alerts.'),
        inhibited: z.boolean().default(false).describe('Include inhibited alerts.'),
        receiver: z.string().max(200).optional().describe('Only alerts routed to receivers matching this regex.'),
        limit: z.number().int().min(1).max(200).default(50).describe('Most alerts to show.'),
      },
      outputSchema: alertsListContentSchema,
      annotations: READ_ONLY,
      handler: ({ matchers, silenced, inhibited, receiver, limit }, { signal }) =>
        asMonitoringTool(
          async () => {
            const alerts = await alertmanager.alerts({ matchers, active: true, silenced, inhibited, receiver, signal });
            return formatAlerts(sortAlerts(alerts), limit);
          },
          { badRequest: 'A matcher is malformed: write each as name="value", name!="value", name=~"regex" or name!~"regex".' },
        ),
    }),
  ];
}

export function sortAlerts(alerts: readonly AlertmanagerAlert[]): AlertmanagerAlert[] {
  const severity = (a: AlertmanagerAlert) => {
    const i = SEVERITY_ORDER.indexOf(a.labels.severity ?? 'none');
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return [...alerts].sort((a, b) => severity(a) - severity(b) || Date.parse(b.startsAt) - Date.parse(a.startsAt));
}

function formatAlerts(alerts: AlertmanagerAlert[], limit: number) {
  const shown = alerts.slice(0, limit);
  if (alerts.length === 0) return { text: [own('No alerts match.')], structuredContent: { total: 0, alerts: [] } };
  const otherLabels = (a: AlertmanagerAlert) =>
    Object.entries(a.labels)
      .filter(([k]) => k !== 'alertname' && k !== 'severity')
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  const table = formatTable(shown, [
    { header: 'state', value: (a) => a.status.state },
    { header: 'severity', value: (a) => a.labels.severity },
    { header: 'alertname', value: (a) => a.labels.alertname },
    { header: 'since', value: (a) => a.startsAt.replace(/\.\d+Z$/, 'Z') },
    { header: 'fingerprint', value: (a) => a.fingerprint },
    { header: 'labels', value: otherLabels },
  ]);
  // Annotations are rendered from rule templates with label values taken from the cluster: data, not instructions.
  const notes = shown
    .map((a) => {
      const text = clipText(
        ['summary', 'description', 'message']
          .map((k) => a.annotations[k])
          .filter((v): v is string => v !== undefined && v !== '')
          .join(' — ')
          .replace(/\s+/g, ' '),
        400,
      );
      return text === '' ? '' : `${a.fingerprint} ${a.labels.alertname ?? ''}: ${text}`;
    })
    .filter((line) => line !== '');
  // Labels and annotations come from whoever writes rules and exporters: the table and the notes are fenced.
  const text = [
    own(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}${alerts.length > shown.length ? ` (showing ${shown.length})` : ''}:`),
    untrusted('alerts from Alertmanager', table),
    ...(notes.length > 0 ? [untrusted('alert annotations from Alertmanager', notes.join('\n'))] : []),
    ...(alerts.length > shown.length
      ? [own(`${alerts.length - shown.length} more not shown; add matchers (e.g. severity="critical") to narrow.`)]
      : []),
  ];
  return {
    text,
    structuredContent: {
      total: alerts.length,
      alerts: shown.map((a) => ({
        fingerprint: a.fingerprint,
        labels: a.labels,
        annotations: a.annotations,
        state: a.status.state,
        startsAt: a.startsAt,
        silencedBy: a.status.silencedBy,
        receivers: a.receivers.map((r) => r.name),
        ...(a.generatorURL === undefined ? {} : { generatorURL: a.generatorURL }),
      })),
    },
  };
}
