import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What ai4k8s remembers of an alert thread (or a question thread where a fix was applied): enough to say "seen
 * before" when it recurs and to answer incidents_search. Every text field has passed the redactor.
 */
export const incidentSchema = z.object({
  id: z.string(),
  kind: z.enum(['alert', 'question']),
  /** The thread's conversation key: `<platform>:<team>:<channel>:<thread>`. */
  threadKey: z.string(),
  /** Where it happened, `<platform>:<team>:<channel>`, as the channel policy names channels. */
  channel: z.string(),
  /** The channel's policy limits namespaces or contexts: the incident is shown only in that channel. */
  restricted: z.boolean(),
  /** A link to the thread, where the platform has one. */
  link: z.string().optional(),
  /** The alert's name, or the question's finding. */
  title: z.string(),
  alertname: z.string().optional(),
  /** sha256 of the group's common labels: the same alert on the same target. */
  fingerprint: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  namespace: z.string().optional(),
  workload: z.string().optional(),
  startedAt: z.string(),
  resolvedAt: z.string().optional(),
  lastSeenAt: z.string(),
  /** The timeline's likely culprit (deterministic, from changes_list). */
  culprit: z.string().optional(),
  /** The findings: the investigation's (or an answer's) headline and first lines. */
  cause: z.string().optional(),
  /** Approved actions that ran in the thread, e.g. "rollout_undo shop/checkout". */
  fixes: z.array(z.string()).default([]),
  /** The id of the timeline message, once posted (so a retried opening does not post it again). */
  timelineId: z.string().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentIdOf = (threadKey: string): string => createHash('sha256').update(threadKey).digest('hex').slice(0, 24);

/** The same labels always give the same fingerprint, whatever their order. */
export function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Labels that name a workload, in the order kube-state-metrics and common rules use them. */
const WORKLOAD_LABELS = ['deployment', 'statefulset', 'daemonset', 'workload', 'job_name', 'cronjob'];

/** The workload an alert is about, from its labels; a pod name loses its ReplicaSet and pod suffixes. */
export function workloadOf(labels: Record<string, string>): string | undefined {
  for (const name of WORKLOAD_LABELS) if (labels[name] !== undefined && labels[name] !== '') return labels[name];
  const pod = labels.pod;
  if (pod === undefined) return undefined;
  return /^(.+?)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod)?.[1] ?? /^(.+)-\d+$/.exec(pod)?.[1] ?? pod;
}
