import type { CoreV1Event } from '@kubernetes/client-node';
import { KubeError } from '../../kube/errors.ts';
import { getJson } from '../../kube/get-json.ts';
import { BUILT_IN_KINDS } from '../api-kinds.ts';
import type { EventRecord } from '../evidence.ts';
import { timeOf, type ObjectRef } from '../kube-object.ts';
import type { GraphReader } from './graph-reader.ts';

/** Objects whose events are read, at most: the subject and what explains it come first. */
const MAX_OBJECTS = 16;
/** Characters kept of an event message: whole for every message components write. */
const MESSAGE_CHARS = 2_000;

/**
 * All events (Normal too: FailedBinding, Killing and NodeNotReady carry evidence) of the involved
 * objects, one field-selected list per object, in parallel. Cluster-scoped objects' events are found
 * in any namespace (a node's usually sit in "default").
 */
export async function readEvents(reader: GraphReader): Promise<void> {
  const refs = reader.involvedRefs().slice(0, MAX_OBJECTS);
  const lists = await Promise.all(refs.map((ref) => eventsOf(reader, ref)));
  for (const records of lists) reader.ev.events.push(...records);
}

async function eventsOf(reader: GraphReader, ref: ObjectRef): Promise<EventRecord[]> {
  const clusterScoped = BUILT_IN_KINDS[ref.kind]?.namespaced === false || ref.namespace === undefined;
  const path = clusterScoped ? '/api/v1/events' : `/api/v1/namespaces/${encodeURIComponent(ref.namespace ?? '')}/events`;
  try {
    const list = await getJson<{ items?: CoreV1Event[] }>(reader.kube, {
      path,
      query: { fieldSelector: `involvedObject.kind=${ref.kind},involvedObject.name=${ref.name}`, limit: 200 },
    });
    return (list.items ?? []).map((e) => toRecord(e, ref));
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    reader.ev.gaps.set('events', `cannot list events: ${(error.message.split('\n')[0] ?? '').slice(0, 200)}`);
    return [];
  }
}

function toRecord(e: CoreV1Event, ref: ObjectRef): EventRecord {
  const last = timeOf(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
  const first = timeOf(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
  return {
    namespace: e.metadata.namespace ?? '',
    object: {
      kind: e.involvedObject.kind ?? ref.kind,
      ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
      name: e.involvedObject.name ?? ref.name,
    },
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: (e.message ?? '').slice(0, MESSAGE_CHARS),
    count: e.count ?? e.series?.count ?? 1,
    firstSeen: Number.isNaN(first) ? last : first,
    lastSeen: last,
  };
}
