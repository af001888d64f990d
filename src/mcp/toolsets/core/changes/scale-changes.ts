import { type ChangeItem } from '../../../../contract/changes-list-content.ts';
import { inWindow, isoSeconds, timeOf, type ChangeWindow, type DerivedChanges } from './change-item.ts';
import { fieldWrites, isCreationWrite, owns } from './managed-fields.ts';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, namespaceOf, type RawEvent, type RawObject, type RawWorkload } from './raw-objects.ts';
import { byController } from './rollout-changes.ts';
import { inScope, type WorkloadScope } from './workload-scope.ts';

/** A replicas write this close to a new revision is part of that rollout, not a scaling. */
const ROLLOUT_SLACK_MS = 60_000;
const MESSAGE_CHARS = 200;
const NAMES_SHOWN = 5;

/**
 * Scaling, from three records: a dated managedFields write of `spec.replicas` (apply, edit, Helm), the
 * deployment controller's ScalingReplicaSet events of a settled Deployment (what dates a `kubectl scale`: writes
 * through the scale subresource carry no time in managedFields), and the HPA's SuccessfulRescale events.
 * A write that owns the pod template too is counted only when no revision was created near it: otherwise the
 * rollout explains it.
 */
export function scaleChanges(snapshot: ChangeSnapshot, window: ChangeWindow, scope: WorkloadScope | undefined): DerivedChanges {
  const out: DerivedChanges = { items: [], unknown: [] };
  const undated: string[] = [];
  const owned = byController<RawObject>([...snapshot.replicaSets, ...snapshot.controllerRevisions]);
  for (const [kind, workloads] of [
    ['Deployment', snapshot.deployments],
    ['StatefulSet', snapshot.statefulSets],
  ] as const) {
    for (const workload of workloads) {
      if (!inScope(scope, kind, workload)) continue;
      const revisions = (owned.get(workload.metadata?.uid ?? '') ?? []).map((object) => ({
        createdMs: timeOf(object.metadata?.creationTimestamp),
      }));
      const base = { kind, ...(namespaceOf(workload) === undefined ? {} : { namespace: namespaceOf(workload) }), name: nameOf(workload) };
      const dated: ChangeItem[] = [];
      for (const write of fieldWrites(workload.metadata)) {
        if (
          write.subresource === 'status' ||
          !owns(write, ['spec', 'replicas']) ||
          !inWindow(window, write.at) ||
          isCreationWrite(write, workload.metadata)
        )
          continue;
        if (owns(write, ['spec', 'template']) && revisions.some((revision) => Math.abs(revision.createdMs - write.at) <= ROLLOUT_SLACK_MS))
          continue;
        dated.push({
          ...base,
          at: isoSeconds(write.at),
          type: 'scale',
          summary: `replicas set to ${workload.spec?.replicas ?? '?'}${owns(write, ['spec', 'template']) ? ' (this manager also owns the pod template: its write may have changed either)' : ''}`,
          by: write.manager,
          derivedFrom: `managedFields: ${write.manager}'s last write of spec.replicas`,
        });
      }
      out.items.push(...dated);
      // Writes through the scale subresource are recorded without a time: only the controller's event dates them.
      const scaler = (workload.metadata?.managedFields ?? []).find(
        (entry) => entry.subresource === 'scale' && entry.time === undefined && entry.fieldsV1?.['f:spec'] !== undefined,
      )?.manager;
      const events =
        kind === 'Deployment'
          ? scalingOutsideRollouts(snapshot, owned.get(workload.metadata?.uid ?? '') ?? [], workload, window).filter(
              ({ at }) => !dated.some((item) => Math.abs(Date.parse(item.at) - at) <= ROLLOUT_SLACK_MS),
            )
          : [];
      events.forEach(({ event, at }, index) => {
        const attributed =
          index === 0 && scaler !== undefined && new RegExp(` to ${workload.spec?.replicas ?? -1}\\b`).test(event.message ?? '');
        out.items.push({
          ...base,
          at: isoSeconds(at),
          type: 'scale',
          summary: `${clip(event.message)} (replicas now ${workload.spec?.replicas ?? '?'})`,
          ...(attributed ? { by: scaler } : {}),
          derivedFrom: `Event ${event.reason ?? 'ScalingReplicaSet'}${attributed ? `; ${scaler ?? ''} last wrote spec.replicas through the scale subresource (managedFields)` : ''}`,
        });
      });
      if (scaler !== undefined && events.length === 0)
        undated.push(`${kind} ${base.namespace ?? ''}/${base.name} (replicas ${workload.spec?.replicas ?? '?'}, by ${scaler})`);
    }
  }
  if (undated.length > 0) {
    out.unknown.push(
      `Scaled through the scale subresource at an unknown time (managedFields keep no time for it and no scaling event is left in the window): ${undated.slice(0, NAMES_SHOWN).join(', ')}${undated.length > NAMES_SHOWN ? ` and ${undated.length - NAMES_SHOWN} more` : ''}.`,
    );
  }
  for (const event of snapshot.rescaleEvents) {
    const at = eventTime(event);
    const hpa = { metadata: { name: event.involvedObject?.name ?? '' } };
    if (!inWindow(window, at) || !inScope(scope, 'HorizontalPodAutoscaler', hpa)) continue;
    const namespace = event.involvedObject?.namespace ?? namespaceOf(event);
    out.items.push({
      at: isoSeconds(at),
      type: 'scale',
      kind: 'HorizontalPodAutoscaler',
      ...(namespace === undefined ? {} : { namespace }),
      name: nameOf(hpa),
      summary: `HPA decision: ${clip(event.message)}${(event.count ?? 1) > 1 ? ` (${event.count ?? 1} times, the last shown)` : ''}`,
      derivedFrom: 'Event SuccessfulRescale',
    });
  }
  return out;
}

const SCALED = /^Scaled (?:up|down) replica set (\S+) to (\d+)(?: from (\d+))?/;

/**
 * The deployment controller's ScalingReplicaSet events that are a scaling of the settled Deployment, newest
 * first: on its current ReplicaSet, from a non-zero size, with no event on another of its ReplicaSets at or
 * after it (in a rolling update the old ReplicaSets shrink after each step of the new one), and not the
 * controller carrying out an HPA decision already listed.
 */
function scalingOutsideRollouts(
  snapshot: ChangeSnapshot,
  owned: readonly RawObject[],
  deployment: RawWorkload,
  window: ChangeWindow,
): { event: RawEvent; at: number }[] {
  const revision = (rs: RawObject) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const current = [...owned].sort((a, b) => revision(b) - revision(a))[0];
  if (current === undefined) return [];
  const events = snapshot.scalingEvents
    .filter(
      (event) =>
        event.involvedObject?.kind === 'Deployment' &&
        event.involvedObject.name === nameOf(deployment) &&
        event.involvedObject.namespace === namespaceOf(deployment),
    )
    .map((event) => ({ event, at: eventTime(event), scaled: SCALED.exec(event.message ?? '') }));
  const autoscalers = new Set(
    snapshot.horizontalPodAutoscalers
      .filter(
        (hpa) =>
          namespaceOf(hpa) === namespaceOf(deployment) &&
          hpa.spec?.scaleTargetRef?.kind === 'Deployment' &&
          hpa.spec.scaleTargetRef.name === nameOf(deployment),
      )
      .map(nameOf),
  );
  const hpaDecisions = snapshot.rescaleEvents
    .filter((event) => event.involvedObject?.namespace === namespaceOf(deployment) && autoscalers.has(event.involvedObject?.name ?? ''))
    .map(eventTime);
  return events
    .filter(({ at, scaled }) => inWindow(window, at) && scaled !== null && scaled[1] === nameOf(current) && scaled[3] !== '0')
    .filter(({ at }) => !events.some((other) => other.scaled !== null && other.scaled[1] !== nameOf(current) && other.at >= at))
    .filter(({ at }) => !hpaDecisions.some((decision) => at >= decision && at - decision <= ROLLOUT_SLACK_MS))
    .map(({ event, at }) => ({ event, at }))
    .sort((a, b) => b.at - a.at);
}

export function eventTime(event: RawEvent): number {
  return timeOf(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp);
}

const clip = (message: string | undefined) => (message ?? '').replace(/\s+/g, ' ').slice(0, MESSAGE_CHARS);
