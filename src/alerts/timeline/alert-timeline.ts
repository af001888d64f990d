import type { Toolbox } from '../../contract/toolbox.ts';
import { changesListContentSchema, type ChangeItem } from '../../contract/changes-list-content.ts';
import type { AlertNotification } from '../../queue/alert-job.ts';
import { likelyCulprit, type Culprit } from './likely-culprit.ts';
import { TOOL_NAMES } from '../../contract/tool-names.ts';

/** What changed around an alert, as changes_list told it, with the culprit by rule. */
export interface AlertTimeline {
  namespace: string | undefined;
  workload: string | undefined;
  /** When the alert (its earliest firing alert) started. */
  startedAt: string;
  since: string;
  until: string;
  items: ChangeItem[];
  total: number;
  unknown: string[];
  culprit: Culprit | undefined;
  /** Set when changes_list could not answer (refused by policy, forbidden, cluster away): said in the thread. */
  failure?: string;
}

export interface AlertTimelineOptions {
  toolbox: Toolbox;
  notification: AlertNotification;
  workload: string | undefined;
  /** ALERT_TIMELINE_MINUTES: how far before the alert's start to look. */
  lookbackMinutes: number;
  now?: Date;
}

/** Changes shown in the thread and given to the model; the rest are counted. */
const ITEMS = 30;

/** Asks changes_list (through the caller's policy-limited, audited toolbox) what changed from before the alert until now. */
export async function alertTimeline({
  toolbox,
  notification,
  workload,
  lookbackMinutes,
  now = new Date(),
}: AlertTimelineOptions): Promise<AlertTimeline> {
  const starts = notification.alerts
    .filter((alert) => alert.status === 'firing')
    .map((alert) => alert.startsAt)
    .sort();
  const startedAt = starts[0] ?? notification.alerts[0]?.startsAt ?? now.toISOString();
  const startMs = Number.isNaN(Date.parse(startedAt)) ? now.getTime() : Math.min(Date.parse(startedAt), now.getTime());
  const since = seconds(startMs - lookbackMinutes * 60_000);
  const until = seconds(now.getTime());
  const namespace =
    notification.commonLabels.namespace ?? notification.alerts.find((alert) => alert.labels.namespace !== undefined)?.labels.namespace;
  const base = { namespace, workload, startedAt, since, until, items: [], total: 0, unknown: [], culprit: undefined };
  const outcome = await toolbox.call(TOOL_NAMES.changesList, {
    ...(namespace === undefined ? {} : { namespace }),
    since,
    until,
    limit: ITEMS,
  });
  if (outcome.isError) return { ...base, failure: outcome.text.split('\n')[0]?.slice(0, 300) ?? 'changes_list failed' };
  const parsed = changesListContentSchema.safeParse(outcome.structuredContent);
  if (!parsed.success)
    return { ...base, failure: 'changes_list answered in a shape this worker does not know (is the MCP server a different version?)' };
  const { items, total, unknown } = parsed.data;
  return { ...base, items, total, unknown, culprit: likelyCulprit(items, { startedAt, workload, namespace }) };
}

const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
