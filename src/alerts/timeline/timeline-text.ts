import type Anthropic from '@anthropic-ai/sdk';
import { fenceUntrusted } from '../../contract/fence-untrusted.ts';
import { neutralizeClusterText as safe } from '../../chat/neutralize-cluster-text.ts';
import type { ChangeItem } from '../../contract/changes-list-content.ts';
import type { AlertTimeline } from './alert-timeline.ts';

/** Changes listed in the thread; the model's context gets all that changes_list returned. */
const SHOWN = 8;
const SUMMARY_CHARS = 220;

/** The thread's first reply under an alert: what changed in its window, and the likely culprit or that nothing did. */
export function timelineMarkdown(timeline: AlertTimeline): string {
  const where = timeline.namespace === undefined ? 'the cluster' : `namespace \`${safe(timeline.namespace)}\``;
  const head = `🕒 **What changed before this alert** — ${where}, ${clock(timeline.since)}–${clock(timeline.until)} UTC`;
  if (timeline.failure !== undefined) return `${head}\n⚠️ I could not list the changes: ${safe(timeline.failure)}`;
  if (timeline.items.length === 0) {
    return `${head}\n**Nothing changed** that the API can show.${unknownNote(timeline)}`;
  }
  const lines = [head];
  lines.push(
    timeline.culprit === undefined
      ? '**No change before the alert started**: the changes below came after it.'
      : `**Likely culprit:** ${itemText(timeline.culprit.item)} — ${safe(timeline.culprit.why)}.`,
  );
  for (const item of timeline.items.slice(0, SHOWN)) lines.push(`• ${clock(item.at)} · ${itemText(item)}`);
  const more = timeline.total - Math.min(SHOWN, timeline.items.length);
  lines.push(
    `_${more > 0 ? `${more} more change${more === 1 ? '' : 's'}; ` : ''}ask me "what changed?" for all of them.${unknownNote(timeline)}_`,
  );
  return lines.join('\n');
}

/**
 * The pinned context turn for the model: the timeline (fenced: it is cluster data), the culprit by rule, and the
 * operators' runbook guidance (trusted, outside the fence), so the investigation and any follow-up start there.
 */
export function timelineContextTurn(timeline: AlertTimeline | undefined, guidance: string | undefined): Anthropic.MessageParam[] {
  const parts: string[] = [];
  if (guidance !== undefined) parts.push(guidance);
  if (timeline !== undefined) {
    const where = timeline.namespace === undefined ? 'the whole cluster' : `namespace ${timeline.namespace}`;
    parts.push(
      `When this alert opened, ai4k8s listed what changed in ${where} from ${timeline.since} to ${timeline.until} with changes_list (the alert started ${timeline.startedAt}). ` +
        'When you explain the alert, name the most likely culprit among these changes and why, or say plainly that nothing changed; call changes_list again, narrower or wider, if you need more.',
    );
    if (timeline.failure !== undefined) parts.push(`changes_list failed then: ${timeline.failure}`);
    else {
      const rows = [
        ...(timeline.culprit === undefined
          ? ['likely culprit by rule: none (nothing changed before the alert started)']
          : [`likely culprit by rule: ${line(timeline.culprit.item)} (${timeline.culprit.why})`]),
        ...timeline.items.map(line),
        ...timeline.unknown.map((note) => `unknown: ${note}`),
      ];
      parts.push(
        fenceUntrusted({
          source: `changes_list ${where}: object names, change-causes and event messages`,
          text: rows.join('\n') || 'no changes',
        }),
      );
    }
  }
  return [
    { role: 'user', content: parts.join('\n\n') },
    {
      role: 'assistant',
      content: 'Noted; I will weigh these changes (and follow the runbook where it applies) when explaining the alert.',
    },
  ];
}

function itemText(item: ChangeItem): string {
  const object = `${item.kind} \`${safe(item.namespace === undefined ? item.name : `${item.namespace}/${item.name}`)}\``;
  const summary = safe(item.summary);
  return `${item.type} ${object}: ${summary.length > SUMMARY_CHARS ? `${summary.slice(0, SUMMARY_CHARS - 1)}…` : summary}${item.by === undefined ? '' : ` _(by ${safe(item.by)})_`}`;
}

const line = (item: ChangeItem) =>
  `${item.at} ${item.type} ${item.kind} ${item.namespace === undefined ? '' : `${item.namespace}/`}${item.name}${item.by === undefined ? '' : ` by ${item.by}`}: ${item.summary} [from ${item.derivedFrom}]`;

function unknownNote(timeline: AlertTimeline): string {
  const count = timeline.unknown.length;
  return count === 0 ? '' : ` ${count} thing${count === 1 ? '' : 's'} the API cannot show (listed when you ask).`;
}

const clock = (iso: string) => /T(\d{2}:\d{2}:\d{2})/.exec(iso)?.[1] ?? iso;
