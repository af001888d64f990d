import { formatAge } from '../kube/format-age.ts';
import type { Incident } from './incident.ts';

const CAUSE_CHARS = 280;

/** The root message's "seen before" line: when, how it ended, the cause and fix, and the earlier thread. */
export function recurrenceNote(incident: Incident, now: Date = new Date()): string {
  const duration = incident.resolvedAt === undefined ? undefined : formatAge(incident.startedAt, new Date(incident.resolvedAt));
  const cause = incident.cause ?? incident.culprit;
  const parts = [
    `🔁 **Seen before**: ${incident.alertname === undefined ? `“${clip(incident.title, 80)}”` : `**${clip(incident.alertname, 80)}**`} started ${formatAge(incident.startedAt, now)} ago (${incident.startedAt})`,
    duration === undefined ? 'not seen resolved' : `resolved after ${duration}`,
  ];
  const lines = [`${parts.join(', ')}.`];
  lines.push(
    `Cause then: ${cause === undefined ? 'not recorded' : clip(cause, CAUSE_CHARS)}${incident.fixes.length > 0 ? ` · Fix applied: ${clip(incident.fixes.join('; '), 160)}` : ''}`,
  );
  lines.push(incident.link === undefined ? `Earlier thread: ${incident.threadKey}` : `[Earlier thread](${incident.link})`);
  return lines.join('\n');
}

export function clip(text: string, chars: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > chars ? `${line.slice(0, chars - 1)}…` : line;
}
