import { z } from 'zod';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { isPodAnomalous } from '../../../kube/pod-status.ts';
import { ownedReplicaSets, WORKLOAD_KINDS, workloadPods, type WorkloadKind } from '../../../kube/read-workload.ts';
import { summarizeWorkload } from '../../../kube/summarize-workload.ts';
import { own, resultParts, untrusted } from '../../result-parts.ts';
import { defineTool, READ_ONLY, type ResultPart, type ToolDefinition, type ToolResult } from '../../tool-definition.ts';
import { diagnosePod } from './diagnose-pod.ts';
import { listEvents } from './events.ts';
import { objectArguments, readPod } from './get-pod.ts';
import { podsSummary, readWorkloadOrHint } from './get-workload.ts';

/** Unhealthy pods examined per workload: enough to see a pattern, bounded in calls and tokens. */
const MAX_PODS = 3;

export interface DiagnoseArguments {
  kind: 'Pod' | WorkloadKind;
  namespace: string;
  name: string;
}

/** diagnose: the verdict first, then the evidence, for a pod or for a workload and its unhealthy pods. */
export async function diagnose(kube: KubeClient, args: DiagnoseArguments): Promise<ToolResult> {
  if (args.kind === 'Pod') {
    const result = await diagnosePod(kube, await readPod(kube, args));
    return {
      text: [own(`Diagnosis of pod ${args.namespace}/${args.name} (the verdict quotes cluster text):`), untrusted(`verdict on pod ${args.namespace}/${args.name}`, result.verdict), own(''), ...result.text],
      structuredContent: { verdict: result.verdict, healthy: result.healthy, pods: [result.structured] },
    };
  }
  const { kind, namespace, name } = args;
  const workload = await readWorkloadOrHint(kube, { kind, namespace, name });
  const summary = summarizeWorkload(workload);
  const pods = await workloadPods(kube, workload);
  const unhealthy = pods.filter(isPodAnomalous);
  // Events about the workload itself and, for a Deployment, its newest ReplicaSet (FailedCreate: quota, admission).
  const eventObjects: { kind: string; name: string }[] = [{ kind, name }];
  if (workload.kind === 'Deployment') {
    const newest = (await ownedReplicaSets(kube, workload.object))[0]?.metadata?.name;
    if (newest !== undefined) eventObjects.push({ kind: 'ReplicaSet', name: newest });
  }
  const [diagnoses, ...eventLists] = await Promise.all([
    Promise.all(unhealthy.slice(0, MAX_PODS).map((pod) => diagnosePod(kube, pod))),
    ...eventObjects.map((o) =>
      listEvents(kube, { namespace, fieldSelector: `involvedObject.kind=${o.kind},involvedObject.name=${o.name},type=Warning`, max: 5 }),
    ),
  ]);
  const warnings = eventLists.flatMap((list) => (list.structuredContent?.events as { reason: string }[] | undefined) ?? []);
  const title = `${kind} ${namespace}/${name} (${summary.status})`;
  let verdict: string;
  if (diagnoses[0] !== undefined) verdict = `${title}: ${diagnoses[0].verdict}`;
  else if (!summary.healthy && pods.length === 0) {
    verdict = `${title}: no pods exist${warnings[0] ? `; Warning ${warnings[0].reason} (see events)` : ''}.`;
  } else if (!summary.healthy) verdict = `${title}: degraded although its ${pods.length} pods look healthy${warnings[0] ? `; Warning ${warnings[0].reason} (see events)` : ''}.`;
  else verdict = `Healthy: ${title}; ${podsSummary(pods).line}, none need attention.`;
  // The verdict and everything under it quote cluster text (statuses, messages, log lines): fenced.
  const what = `${kind} ${namespace}/${name}`;
  const facts = [`${title}: ${podsSummary(pods).line}${unhealthy.length > MAX_PODS ? `; the first ${MAX_PODS} of ${unhealthy.length} unhealthy pods follow` : ''}.`];
  const conditions = summary.facts.conditions as string[] | undefined;
  const badConditions = conditions?.filter((c) => !/=True\b/.test(c) || c.startsWith('ReplicaFailure')) ?? [];
  if (badConditions.length > 0) facts.push(`Conditions not True: ${badConditions.join('; ')}`);
  const parts: ResultPart[] = [own(`Diagnosis of ${what} (the verdict quotes cluster text):`), untrusted(`verdict on ${what}`, verdict), own(''), untrusted(`status of ${what}`, facts.join('\n'))];
  for (const list of eventLists) {
    if (((list.structuredContent?.events as unknown[] | undefined)?.length ?? 0) > 0) parts.push(own('Warning events:'), ...resultParts(list.text, `events of ${what}`));
  }
  for (const result of diagnoses) parts.push(own(''), untrusted('verdict on one of its pods', result.verdict), ...result.text);
  return {
    text: parts,
    structuredContent: {
      verdict,
      healthy: summary.healthy && unhealthy.length === 0,
      workload: { kind, namespace, name, status: summary.status, conditions },
      pods: diagnoses.map((d) => d.structured),
      warningEvents: warnings,
    },
  };
}

export function diagnoseTools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'diagnose',
      title: 'Diagnose a failing pod or workload',
      description:
        'Answers "why is this failing?" in one call. For a Pod, or a Deployment/StatefulSet/DaemonSet/Job/CronJob and up to 3 ' +
        'of its unhealthy pods: a one-line verdict first (e.g. CrashLoopBackOff with exit code and the last log line, ' +
        'Unschedulable with the scheduler\'s reason, ImagePullBackOff), then owner chain, conditions, container states and ' +
        'restarts, Warning events, and the log tails of the failing containers (previous instance after a crash). Use this ' +
        'before pod_get, pod_logs and events_list.',
      inputSchema: {
        kind: z.enum(['Pod', ...WORKLOAD_KINDS]).describe('Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob.'),
        ...objectArguments,
      },
      annotations: READ_ONLY,
      handler: (args, { kube }) => diagnose(kube, args),
    }),
  ];
}
