import { type ChangeItem } from '../../../../contract/changes-list-content.ts';
import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { lastWriteOf } from './managed-fields.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf } from './raw-objects.ts';

/**
 * Node changes: condition transitions (grouped when they happened together), taints added (their
 * timeAdded), and cordons (spec.unschedulable, dated by the managedFields write that set it). An uncordon
 * removes the field, and with it the record: it is not visible.
 */
export function nodeChanges(snapshot: ChangeSnapshot, window: ChangeWindow): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  for (const node of snapshot.nodes) {
    const name = nameOf(node);
    const item = (at: number, summary: string, derivedFrom: string, by?: string): ChangeItem => ({
      at: isoSeconds(at),
      type: 'node',
      kind: 'Node',
      name,
      summary,
      ...(by === undefined ? {} : { by }),
      derivedFrom,
    });
    const byTime = new Map<number, string[]>();
    for (const condition of node.status?.conditions ?? []) {
      const at = timeOf(condition.lastTransitionTime);
      if (!inWindow(window, at)) continue;
      byTime.set(at, [
        ...(byTime.get(at) ?? []),
        `${condition.type} ${condition.status}${condition.reason ? ` (${condition.reason})` : ''}`,
      ]);
    }
    for (const [at, transitions] of byTime)
      out.items.push(item(at, `conditions now: ${transitions.join(', ')}`, 'status.conditions lastTransitionTime'));
    const taints = new Map<number, string[]>();
    for (const taint of node.spec?.taints ?? []) {
      const at = timeOf(taint.timeAdded);
      if (inWindow(window, at))
        taints.set(at, [...(taints.get(at) ?? []), `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`]);
    }
    for (const [at, added] of taints) out.items.push(item(at, `taints added: ${added.join(', ')}`, 'spec.taints timeAdded'));
    if (node.spec?.unschedulable === true) {
      const write = lastWriteOf(node.metadata, ['spec', 'unschedulable']);
      if (write !== undefined && inWindow(window, write.at))
        out.items.push(item(write.at, 'cordoned (unschedulable)', 'managedFields write of spec.unschedulable', write.manager));
    }
  }
  return out;
}
