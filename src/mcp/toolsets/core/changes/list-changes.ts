import type { KubeClient } from '../../../../kube/create-kube-client.ts';
import { formatAge } from '../../../../kube/format-age.ts';
import { parseDuration } from '../../../../kube/parse-duration.ts';
import { ToolFailure } from '../../../errors.ts';
import { own, untrusted } from '../../../result-parts.ts';
import type { ResultPart, ToolResult } from '../../../tool-definition.ts';
import { CHANGE_TYPES, type ChangeItem } from '../../../../contract/changes-list-content.ts';
import { isoSeconds, objectLabel, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { configChanges } from './config-changes.ts';
import { gitOpsChanges } from './gitops-changes.ts';
import { helmChanges } from './helm-changes.ts';
import { lifecycleChanges } from './lifecycle-changes.ts';
import { nodeChanges } from './node-changes.ts';
import { readChangeSnapshot, type ChangeSnapshot } from './read-change-snapshot.ts';
import { rolloutChanges } from './rollout-changes.ts';
import { scaleChanges } from './scale-changes.ts';
import { workloadScope, type ScopedKind, type WorkloadScope } from './workload-scope.ts';

export interface ListChangesOptions {
  namespace?: string | undefined;
  kind?: ScopedKind | undefined;
  name?: string | undefined;
  /** A duration back from `until` ("2h") or an RFC 3339 time. */
  since?: string | undefined;
  /** RFC 3339; now when absent. */
  until?: string | undefined;
  limit?: number | undefined;
  /** Fixed only in tests. */
  now?: Date;
}

/** The longest window asked about: beyond it most sources have nothing left anyway. */
const MAX_WINDOW_MS = 31 * 86_400_000;
/** The API server keeps events this long by default (--event-ttl). */
const EVENT_TTL_MS = 3_600_000;

/**
 * changes_list: what changed in a namespace (or the cluster, or around one workload) in a time window,
 * newest first, each item with how it was derived, and what the API cannot show said as unknown.
 */
export async function listChanges(kube: KubeClient, options: ListChangesOptions): Promise<ToolResult> {
  const { namespace, kind, name, limit = 50, now = new Date() } = options;
  const window = changeWindow(options, now);
  if ((kind === undefined) !== (name === undefined))
    throw new ToolFailure('kind and name go together: give both to look around one workload, or neither.', { code: 'tool_input_invalid' });
  if (kind !== undefined && namespace === undefined)
    throw new ToolFailure(`looking around a ${kind} needs its namespace.`, { code: 'tool_input_invalid' });
  const snapshot = await readChangeSnapshot(kube, { namespace });
  let scope: WorkloadScope | undefined;
  if (kind !== undefined && name !== undefined) {
    scope = workloadScope(snapshot, { kind, name });
    if (scope === undefined)
      throw new ToolFailure(
        `${kind} ${namespace ?? ''}/${name} not found. Use workloads_list or deployments_list with namespace "${namespace ?? ''}" to see what is there.`,
      );
  }
  const derived = deriveChanges(snapshot, window, scope);
  const items = derived.items.sort(newestFirst);
  const shown = items.slice(0, limit);
  const unknown = [...new Set([...snapshot.unknown, ...derived.unknown, ...generalUnknowns(items, window, now)])];
  const where =
    scope !== undefined
      ? `around ${scope.kind} ${namespace ?? ''}/${scope.name}`
      : namespace === undefined
        ? 'in the cluster (all namespaces and nodes)'
        : `in namespace ${namespace}`;
  const span = `from ${isoSeconds(window.sinceMs)} to ${isoSeconds(window.untilMs)}`;
  const lines: string[] = [
    items.length === 0
      ? `No changes the API can show ${where} ${span}.`
      : `${items.length} change${items.length === 1 ? '' : 's'} ${where} ${span}, newest first${shown.length < items.length ? ` (the ${items.length - shown.length} oldest not shown: narrow with since, or kind and name)` : ''}.`,
  ];
  if (unknown.length > 0) lines.push('Not visible to the API (unknown, not guessed):', ...unknown.map((note) => `- ${note}`));
  // The counts and notes are the tool's own words; the items quote the cluster (names, change-causes, messages).
  const text: ResultPart[] = [own(lines.join('\n'))];
  if (shown.length > 0)
    text.push(
      untrusted(`changes ${where}: object names, change-causes and event messages`, shown.map((item) => itemLine(item, now)).join('\n')),
    );
  return {
    text,
    structuredContent: {
      scope: { ...(namespace === undefined ? {} : { namespace }), ...(scope === undefined ? {} : { kind: scope.kind, name: scope.name }) },
      window: { since: isoSeconds(window.sinceMs), until: isoSeconds(window.untilMs) },
      items: shown,
      total: items.length,
      unknown,
      untrusted: true,
    },
  };
}

/** Every family's changes for the snapshot: pure, so each family is tested on plain objects. */
export function deriveChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const parts = [
    rolloutChanges(snapshot, window, scope),
    scaleChanges(snapshot, window, scope),
    configChanges(snapshot, window, scope),
    helmChanges(snapshot, window, scope),
    lifecycleChanges(snapshot, window, scope),
    ...(scope === undefined ? [nodeChanges(snapshot, window), gitOpsChanges(snapshot, window)] : []),
  ];
  return { items: parts.flatMap((part) => part.items), unknown: parts.flatMap((part) => part.unknown) };
}

/** Newest first; within one second, rollouts before scaling before the rest, then by object. */
export function newestFirst(a: ChangeItem, b: ChangeItem): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  const type = CHANGE_TYPES.indexOf(a.type) - CHANGE_TYPES.indexOf(b.type);
  if (type !== 0) return type;
  const [x, y] = [objectLabel(a), objectLabel(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export function changeWindow({ since = '1h', until }: Pick<ListChangesOptions, 'since' | 'until'>, now: Date): ChangeWindow {
  const untilMs = until === undefined ? now.getTime() : Date.parse(until);
  if (Number.isNaN(untilMs))
    throw new ToolFailure(`until "${until ?? ''}" is not an RFC 3339 time such as 2025-01-31T09:30:00Z.`, { code: 'tool_input_invalid' });
  const back = parseDuration(since);
  const sinceMs = back !== undefined ? untilMs - back : Date.parse(since);
  if (Number.isNaN(sinceMs))
    throw new ToolFailure(`since "${since}" is neither a duration (30m, 2h, 1d) nor an RFC 3339 time.`, { code: 'tool_input_invalid' });
  if (sinceMs >= untilMs) throw new ToolFailure('since must be before until.', { code: 'tool_input_invalid' });
  if (untilMs - sinceMs > MAX_WINDOW_MS)
    throw new ToolFailure('the window may span at most 31 days: ask about a shorter one.', { code: 'tool_input_invalid' });
  return { sinceMs, untilMs };
}

function generalUnknowns(items: readonly ChangeItem[], window: ChangeWindow, now: Date): string[] {
  const notes = ['Objects deleted outright are gone from the API: only those still being deleted are listed.'];
  if (items.some((item) => item.derivedFrom.includes('managedFields'))) {
    notes.push("managedFields keep only each field manager's last write: earlier writes by the same manager are unknown.");
  }
  if (window.sinceMs < now.getTime() - EVENT_TTL_MS)
    notes.push('HPA decisions come from events, which the API server keeps about an hour by default: older ones are unknown.');
  return notes;
}

function itemLine(item: ChangeItem, now: Date): string {
  const by = item.by === undefined ? '' : ` by ${item.by}`;
  return `- ${item.at} (${formatAge(item.at, now)} ago) ${item.type} ${objectLabel(item)}${by}: ${item.summary} [from ${item.derivedFrom}]`;
}
