import type { z } from 'zod';
import { alertsListContentSchema } from '../contract/alerts-list-content.ts';
import { clusterInfoContentSchema } from '../contract/cluster-info-content.ts';
import type { Toolbox, ToolOutcome } from '../contract/toolbox.ts';
import { changesListContentSchema, type ChangeItem } from '../contract/changes-list-content.ts';
import { healthContentSchema, type HealthContent } from '../contract/health-content.ts';
import { TOOL_NAMES } from '../contract/tool-names.ts';

/** One part of a digest: what a tool said, or why it could not say it. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface DigestFacts {
  /** The namespaces covered; undefined: the whole cluster. */
  namespaces: string[] | undefined;
  health: Part<HealthContent>[];
  /** From cluster_info: only where the channel may read cluster-wide (namespaced digests still show the nodes). */
  notReadyNodes: Part<string[]>;
  alerts: Part<{
    total: number;
    alerts: { alertname: string; severity: string | undefined; namespace: string | undefined; startsAt: string }[];
  }>;
  changes: Part<{ items: ChangeItem[]; total: number; unknown: string[] }>[];
  since: string;
  until: string;
}

export interface GatherDigestOptions {
  /** Policy-limited and audited: what the channel may not see comes back as a refusal, said in the digest. */
  toolbox: Toolbox;
  namespaces: string[] | undefined;
  /** Changes since the last digest (or a day). */
  since: string;
  until: string;
}

/**
 * Gathers a digest through the MCP tools: health_summary per namespace (or for the cluster), cluster_info for
 * NotReady nodes, alerts_list when Alertmanager is configured, changes_list since the last digest.
 */
export async function gatherDigest({ toolbox, namespaces, since, until }: GatherDigestOptions): Promise<DigestFacts> {
  const scopes: (string | undefined)[] = namespaces ?? [undefined];
  const offered = (name: string) => toolbox.tools.some((tool) => tool.name === name);
  const scoped = (namespace: string | undefined) => (namespace === undefined ? {} : { namespace });
  const [health, changes, nodes, alerts] = await Promise.all([
    Promise.all(
      scopes.map(async (namespace) =>
        parsed(await toolbox.call(TOOL_NAMES.healthSummary, { ...scoped(namespace), top: 5 }), healthContentSchema),
      ),
    ),
    Promise.all(
      scopes.map(async (namespace) =>
        parsed(await toolbox.call(TOOL_NAMES.changesList, { ...scoped(namespace), since, until, limit: 30 }), changesListContentSchema),
      ),
    ),
    toolbox.call(TOOL_NAMES.clusterInfo, {}),
    offered(TOOL_NAMES.alertsList)
      ? toolbox.call(TOOL_NAMES.alertsList, {
          limit: 50,
          matchers: namespaces === undefined ? [] : [`namespace=~"${namespaces.join('|')}"`],
        })
      : Promise.resolve<ToolOutcome>({ isError: true, text: 'Alertmanager is not configured (ALERTMANAGER_URL)' }),
  ]);
  const nodeInfo = parsed(nodes, clusterInfoContentSchema);
  const alertList = parsed(alerts, alertsListContentSchema);
  return {
    namespaces,
    health,
    changes: changes.map((part) =>
      part.ok ? { ok: true, value: { items: part.value.items, total: part.value.total, unknown: part.value.unknown } } : part,
    ),
    notReadyNodes: nodeInfo.ok ? { ok: true, value: nodeInfo.value.nodes.notReady } : nodeInfo,
    alerts: alertList.ok
      ? {
          ok: true,
          value: {
            total: alertList.value.total,
            alerts: alertList.value.alerts.map((a) => ({
              alertname: a.labels.alertname ?? '?',
              severity: a.labels.severity,
              namespace: a.labels.namespace,
              startsAt: a.startsAt,
            })),
          },
        }
      : alertList,
    since,
    until,
  };
}

function parsed<T>(outcome: ToolOutcome, schema: z.ZodType<T>): Part<T> {
  if (outcome.isError) return { ok: false, reason: outcome.text.split('\n')[0]?.slice(0, 240) ?? 'failed' };
  const result = schema.safeParse(outcome.structuredContent);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: 'the tool answered in a shape this worker does not know' };
}
