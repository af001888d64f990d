import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { type ChangeItem } from '../../../../contract/changes-list-content.ts';
import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { lastWriteOf } from './managed-fields.ts';
import { podTemplateDiff } from './pod-template-diff.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf, type RawObject, type RawWorkload } from './raw-objects.ts';
import { inScope, type ScopedKind, type WorkloadScope } from './workload-scope.ts';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** How close a manager's last template write must be to a revision's creation to name it as the author. */
const AUTHOR_SLACK_MS = 60_000;

/** One kept revision of a workload's pod template: a ReplicaSet or a ControllerRevision. */
interface Revision {
  object: string;
  revision: number;
  createdMs: number;
  template: V1PodTemplateSpec | undefined;
  changeCause: string | undefined;
}

/**
 * Rollouts: each revision created in the window, with what differs from the revision before it. Deployments
 * keep their revisions as ReplicaSets, StatefulSets and DaemonSets as ControllerRevisions. The author is the
 * field manager whose last pod-template write matches the newest revision's time; older revisions' authors
 * are gone from managedFields, so they are not named.
 */
export function rolloutChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  const replicaSets = byController(snapshot.replicaSets);
  const controllerRevisions = byController(snapshot.controllerRevisions);
  for (const deployment of snapshot.deployments) {
    if (!inScope(scope, 'Deployment', deployment)) continue;
    const revisions = (replicaSets.get(deployment.metadata?.uid ?? '') ?? []).map((rs: RawWorkload) => ({
      object: `ReplicaSet ${nameOf(rs)}`,
      revision: Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
      createdMs: timeOf(rs.metadata?.creationTimestamp),
      template: rs.spec?.template,
      changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE],
    }));
    addRollouts(out, { kind: 'Deployment', workload: deployment, revisions, window, limitName: 'revisionHistoryLimit' });
  }
  for (const [kind, workloads] of [
    ['StatefulSet', snapshot.statefulSets],
    ['DaemonSet', snapshot.daemonSets],
  ] as const) {
    for (const workload of workloads) {
      if (!inScope(scope, kind, workload)) continue;
      const revisions = (controllerRevisions.get(workload.metadata?.uid ?? '') ?? []).map((cr) => ({
        object: `ControllerRevision ${nameOf(cr)}`,
        revision: cr.revision ?? 0,
        createdMs: timeOf(cr.metadata?.creationTimestamp),
        template: cr.data?.spec?.template,
        changeCause: cr.metadata?.annotations?.[CHANGE_CAUSE],
      }));
      addRollouts(out, { kind, workload, revisions, window, limitName: 'revisionHistoryLimit' });
    }
  }
  return out;
}

/** Objects by the uid of their controller, so each workload finds its revisions without a scan. */
export function byController<T extends RawObject>(objects: readonly T[]): Map<string, T[]> {
  const owned = new Map<string, T[]>();
  for (const object of objects) {
    const uid = (object.metadata?.ownerReferences ?? []).find((ref) => ref.controller === true)?.uid;
    if (uid === undefined) continue;
    const list = owned.get(uid);
    if (list === undefined) owned.set(uid, [object]);
    else list.push(object);
  }
  return owned;
}

interface AddRolloutsOptions {
  kind: ScopedKind;
  workload: RawWorkload;
  revisions: Revision[];
  window: ChangeWindow;
  limitName: string;
}

function addRollouts(out: DerivedChanges, { kind, workload, revisions: unsorted, window, limitName }: AddRolloutsOptions): void {
  const revisions = unsorted.filter((r) => r.revision > 0 && !Number.isNaN(r.createdMs)).sort((a, b) => a.revision - b.revision);
  const namespace = namespaceOf(workload);
  const name = nameOf(workload);
  const writer = lastWriteOf(workload.metadata, ['spec', 'template']);
  const items: ChangeItem[] = [];
  revisions.forEach((current, index) => {
    const newest = index === revisions.length - 1;
    // A rollback reuses an older revision's object (bumping its number): the newest revision is then older
    // than the template write that made it current, and that write's time is the rollout's.
    const reused = newest && writer !== undefined && writer.at > current.createdMs + AUTHOR_SLACK_MS;
    const at = reused && writer !== undefined ? writer.at : current.createdMs;
    if (!inWindow(window, at)) return;
    const previous = revisions[index - 1];
    if (previous === undefined && current.revision === 1) return; // the workload's creation, reported as such
    const diff = previous === undefined ? undefined : podTemplateDiff(previous.template, current.template);
    const what =
      diff === undefined
        ? 'the revision before it is no longer kept, so what changed is unknown'
        : diff.length === 0
          ? 'no pod-template difference from the revision before'
          : diff.join('; ');
    const cause = current.changeCause === undefined ? '' : `; change-cause "${current.changeCause.slice(0, 120)}"`;
    const author = newest && writer !== undefined && Math.abs(writer.at - at) <= AUTHOR_SLACK_MS ? writer.manager : undefined;
    const item: ChangeItem = {
      at: isoSeconds(at),
      type: 'rollout',
      kind,
      ...(namespace === undefined ? {} : { namespace }),
      name,
      summary: `rollout to revision ${current.revision}${reused ? ' (an earlier revision made current again: rollback or revert)' : ''}: ${what}${cause}`,
      ...(author === undefined ? {} : { by: author }),
      derivedFrom:
        (previous === undefined
          ? current.object
          : `${previous.object} (rev ${previous.revision}) → ${current.object} (rev ${current.revision})`) +
        (author === undefined ? '' : '; author from managedFields'),
    };
    items.push(item);
  });
  // Newest revision first, so two revisions made within one second still list in order (the sort is stable).
  out.items.push(...items.reverse());
  const oldest = revisions[0];
  if (oldest !== undefined && oldest.revision > 1 && oldest.createdMs > window.sinceMs) {
    out.unknown.push(
      `${kind} ${namespace ?? ''}/${name} keeps revisions ${oldest.revision}–${revisions.at(-1)?.revision ?? oldest.revision} only (${limitName}): its pod-template changes before ${isoSeconds(oldest.createdMs)} are unknown.`,
    );
  }
}
