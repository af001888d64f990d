import type { CoreV1Event } from '@kubernetes/client-node';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { formatAge } from '../../../kube/format-age.ts';
import { fenceUntrusted } from '../../fence-untrusted.ts';
import { formatTable } from '../../format-table.ts';
import type { ToolResult } from '../../tool-definition.ts';

export interface ListEventsOptions {
  /** Absent: all namespaces. */
  namespace?: string | undefined;
  /** e.g. involvedObject.name=checkout-7d4b9c6f5-x2x9z */
  fieldSelector?: string | undefined;
  /** Most events shown; the newest are kept. */
  max?: number;
}

interface EventRow {
  namespace: string;
  lastSeen: string;
  type: string;
  reason: string;
  object: string;
  count: number;
  message: string;
}

/** Recent events, Warnings first, newest first; the table is fenced because messages are cluster text. */
export async function listEvents(kube: KubeClient, { namespace, fieldSelector, max = 50 }: ListEventsOptions): Promise<ToolResult> {
  const list = await callKube(kube, () =>
    namespace === undefined
      ? kube.core.listEventForAllNamespaces({ fieldSelector, limit: 500 })
      : kube.core.listNamespacedEvent({ namespace, fieldSelector, limit: 500 }),
  );
  const rows = eventRows(list.items).slice(0, max);
  const scope = namespace === undefined ? 'in all namespaces' : `in namespace ${namespace}`;
  if (rows.length === 0) return { text: `No events ${scope}${fieldSelector ? ` for ${fieldSelector}` : ''}.`, structuredContent: { events: [] } };
  const warnings = rows.filter((r) => r.type === 'Warning').length;
  const table = formatTable(rows, [
    ...(namespace === undefined ? [{ header: 'namespace', value: (r: EventRow) => r.namespace }] : []),
    { header: 'last seen', value: (r) => r.lastSeen },
    { header: 'type', value: (r) => r.type },
    { header: 'reason', value: (r) => r.reason },
    { header: 'object', value: (r) => r.object },
    { header: 'count', value: (r) => (r.count > 1 ? r.count : undefined) },
    { header: 'message', value: (r) => r.message },
  ]);
  return {
    text: `${rows.length} events ${scope} (${warnings} Warning), Warnings first:\n${fenceUntrusted({ source: `events ${scope}`, text: table })}`,
    structuredContent: { events: rows, untrusted: true },
  };
}

export function eventRows(events: CoreV1Event[], now: Date = new Date()): EventRow[] {
  const when = (e: CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();
  return [...events]
    .sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || when(b) - when(a))
    .map((e) => ({
      namespace: e.metadata.namespace ?? '',
      lastSeen: formatAge(new Date(when(e)), now),
      type: e.type ?? '',
      reason: e.reason ?? '',
      object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      count: e.count ?? 1,
      message: (e.message ?? '').slice(0, 300),
    }));
}
