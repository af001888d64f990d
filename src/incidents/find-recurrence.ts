import type { Incident } from './incident.ts';

export interface RecurrenceQuery {
  alertname: string | undefined;
  fingerprint: string;
  namespace: string | undefined;
  workload: string | undefined;
  /** This episode's thread, never its own earlier sighting. */
  threadKey?: string | undefined;
  /** When this episode started: only incidents that started before it. */
  startedAt: string;
}

/**
 * The earlier incident most like this alert: the same alert on the same labels, else the same alert in the same
 * namespace, else the same alert anywhere, else anything on the same workload; the most recent of the best kind.
 * Incidents are already filtered to those the channel may see.
 */
export function findRecurrence(incidents: readonly Incident[], query: RecurrenceQuery): Incident | undefined {
  const score = (incident: Incident): number => {
    const sameAlert = query.alertname !== undefined && incident.alertname === query.alertname;
    if (sameAlert && incident.fingerprint === query.fingerprint) return 4;
    if (sameAlert && incident.namespace === query.namespace) return 3;
    if (sameAlert) return 2;
    if (query.workload !== undefined && incident.workload === query.workload && incident.namespace === query.namespace) return 1;
    return 0;
  };
  let best: { incident: Incident; score: number } | undefined;
  for (const incident of incidents) {
    if (incident.threadKey === query.threadKey || incident.startedAt >= query.startedAt) continue;
    const s = score(incident);
    if (s === 0) continue;
    if (best === undefined || s > best.score || (s === best.score && incident.startedAt > best.incident.startedAt))
      best = { incident, score: s };
  }
  return best?.incident;
}
