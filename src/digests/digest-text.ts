import { neutralizeClusterText as safe } from '../chat/neutralize-cluster-text.ts';
import type { DigestFacts, Part } from './gather-digest.ts';

const SHOWN = 8;

/**
 * The deterministic digest (no model): failing workloads, pending pods, NotReady nodes, firing alerts, changes
 * since the last digest and the pods that restarted most; every part says "none", or why it is missing.
 */
export function digestMarkdown(facts: DigestFacts, { name, scheduledAt }: { name: string; scheduledAt: string }): string {
  const scope =
    facts.namespaces === undefined
      ? 'the cluster'
      : `namespace${facts.namespaces.length === 1 ? '' : 's'} ${facts.namespaces.map((ns) => `\`${safe(ns)}\``).join(', ')}`;
  const health = facts.health.flatMap((part) => (part.ok ? [part.value] : []));
  const healthGaps = facts.health.flatMap((part) => (part.ok ? [] : [part.reason]));
  const lines = [`📋 **Health digest** · ${safe(name)} · ${scheduledAt} · ${scope}`];
  const section = (title: string, total: number, rows: string[], gap?: string) => {
    if (gap !== undefined) lines.push(`**${title}:** not available (${safe(gap)})`);
    else if (total === 0) lines.push(`**${title}:** none`);
    else lines.push(`**${title} (${total}):** ${rows.slice(0, SHOWN).join('; ')}${total > SHOWN ? `; and ${total - SHOWN} more` : ''}`);
  };
  const gap = healthGaps[0];
  const failing = health.flatMap((h) => h.failingWorkloads);
  section(
    'Failing workloads',
    health.reduce((n, h) => n + h.counts.failingWorkloads, 0),
    failing.map(
      (w) =>
        `${w.kind} \`${safe(`${w.namespace}/${w.name}`)}\` ${w.ready} ready${w.reasons.length === 0 ? '' : ` (${safe(w.reasons.join(', '))})`}`,
    ),
    gap,
  );
  const pending = health.flatMap((h) => h.pendingPods);
  section(
    'Pending pods',
    health.reduce((n, h) => n + h.counts.pendingPods, 0),
    pending.map((p) => `\`${safe(`${p.namespace}/${p.name}`)}\` ${p.age}: ${safe(p.reason.slice(0, 120))}`),
    gap,
  );
  section(
    'NotReady nodes',
    partSize(facts.notReadyNodes),
    facts.notReadyNodes.ok ? facts.notReadyNodes.value.map((node) => `\`${safe(node)}\``) : [],
    facts.notReadyNodes.ok ? undefined : facts.notReadyNodes.reason,
  );
  section(
    'Firing alerts',
    facts.alerts.ok ? facts.alerts.value.total : 0,
    facts.alerts.ok
      ? facts.alerts.value.alerts.map(
          (a) =>
            `${safe(a.alertname)} (${[a.severity, a.namespace]
              .filter((x) => x !== undefined)
              .map(safe)
              .join(', ')}) since ${a.startsAt.slice(0, 16).replace('T', ' ')}`,
        )
      : [],
    facts.alerts.ok ? undefined : facts.alerts.reason,
  );
  const changes = facts.changes.flatMap((part) => (part.ok ? part.value.items : []));
  const changesGap = facts.changes.find((part): part is Extract<Part<unknown>, { ok: false }> => !part.ok)?.reason;
  section(
    `Changes since ${facts.since.slice(0, 16).replace('T', ' ')}`,
    facts.changes.reduce((n, part) => n + (part.ok ? part.value.total : 0), 0),
    [...changes]
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .map(
        (c) =>
          `${c.at.slice(11, 16)} ${c.type} ${c.kind} \`${safe(c.namespace === undefined ? c.name : `${c.namespace}/${c.name}`)}\`: ${safe(c.summary.slice(0, 140))}`,
      ),
    changesGap,
  );
  const restarts = health.flatMap((h) => h.topRestarts).sort((a, b) => b.restarts - a.restarts);
  section(
    'Most restarts',
    restarts.length,
    restarts.slice(0, 5).map((p) => `\`${safe(`${p.namespace}/${p.name}`)}\` ${p.restarts} (${safe(p.status)})`),
    gap,
  );
  lines.push('_From health_summary, changes_list and alerts_list; ask me in the thread for details._');
  return lines.join('\n');
}

const partSize = (part: Part<string[]>) => (part.ok ? part.value.length : 0);
