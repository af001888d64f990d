import type { KubeClient } from '../kube/create-kube-client.ts';
import { podStatus } from '../kube/pod-status.ts';
import type { ApiResource } from '../kube/resolve-resource.ts';
import type { Evidence } from './evidence.ts';
import { refLabel, type ObjectRef } from './kube-object.ts';
import { diagnosisRules, type DiagnosisRule, type Finding } from './rules/index.ts';
import { runRules } from './run-rules.ts';
import { subjectStatus } from './subject-status.ts';
import { walkGraph } from './walk/walk-graph.ts';

export interface Diagnosis {
  subject: ObjectRef;
  /** The subject's status line (as kubectl judges it). */
  status: string;
  /** No finding, and the subject's status is fine. */
  healthy: boolean;
  /** One line, first in the answer: the root cause, or "Healthy: ...". */
  verdict: string;
  /** Findings in precedence order, each with its failure class. */
  findings: (Finding & { failureClass: string })[];
  /** Rules that could not be checked for want of evidence. */
  notChecked: { rule: string; gaps: string[] }[];
  /** Conditions of the subject that are not as they should be. */
  conditions: string[];
  evidence: Evidence;
}

export interface DiagnoseObjectOptions {
  kube: KubeClient;
  resource: ApiResource;
  namespace?: string | undefined;
  name: string;
  deniesKind?: ((kind: string) => boolean) | undefined;
  rules?: readonly DiagnosisRule[];
  now?: Date;
}

/** "3 pods (2 Running, 1 CrashLoopBackOff)". */
export function podsLine(ev: Evidence): string {
  const counts = new Map<string, number>();
  for (const pod of ev.pods) counts.set(podStatus(pod), (counts.get(podStatus(pod)) ?? 0) + 1);
  const breakdown = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return `${ev.pods.length} pod${ev.pods.length === 1 ? '' : 's'}${breakdown ? ` (${breakdown})` : ''}`;
}

/** Walks the graph around an object and runs the rules over what it read: the verdict and its evidence. */
export async function diagnoseObject({
  kube,
  resource,
  namespace,
  name,
  deniesKind,
  rules = diagnosisRules(),
  now = new Date(),
}: DiagnoseObjectOptions): Promise<Diagnosis> {
  const ev = await walkGraph({ kube, resource, namespace, name, deniesKind, now });
  const { findings, notChecked } = runRules(ev, rules);
  const classes = new Map(rules.map((r) => [r.id, r.failureClass]));
  const summary = subjectStatus(ev);
  const title = `${refLabel(ev.subject)} (${summary.status})`;
  const top = findings[0];
  const healthy = top === undefined && summary.healthy;
  let verdict: string;
  if (top !== undefined) verdict = ev.subject.kind === 'Pod' ? top.cause : `${title}: ${top.cause}`;
  else if (summary.healthy)
    verdict = `Healthy: ${title}; ${ev.pods.length === 0 ? 'no pod needs attention' : `${podsLine(ev)}, none need attention`}.`;
  else
    verdict = `${title}: not healthy, and no known failure pattern explains it${summary.conditions.length > 0 ? `; ${summary.conditions.slice(0, 2).join('; ')}` : ''}${ev.events.some((e) => e.type === 'Warning') ? ' (see the Warning events)' : ''}.`;
  return {
    subject: ev.subject,
    status: summary.status,
    healthy,
    verdict,
    findings: findings.map((f) => ({ ...f, failureClass: classes.get(f.rule) ?? f.rule })),
    notChecked,
    conditions: summary.conditions,
    evidence: ev,
  };
}
