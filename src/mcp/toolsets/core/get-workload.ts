import type { V1Job, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { formatAge } from '../../../kube/format-age.ts';
import { pruneObject } from '../../../kube/prune-object.ts';
import {
  ownedJobs,
  ownedReplicaSets,
  readWorkload,
  revisionOf,
  workloadPods,
  type Workload,
  type WorkloadKind,
} from '../../../kube/read-workload.ts';
import { summarizePod } from '../../../kube/summarize-pod.ts';
import { summarizeWorkload } from '../../../kube/summarize-workload.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { withNotFoundHint } from '../../errors.ts';
import { formatTable } from '../../format-table.ts';
import type { ResultPart, ToolResult } from '../../tool-definition.ts';
import { own, untrusted } from '../../result-parts.ts';

export interface WorkloadArguments {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** Reads a workload or fails with a hint on how to find the right name. */
export function readWorkloadOrHint(kube: KubeClient, { kind, namespace, name }: WorkloadArguments): Promise<Workload> {
  const lister = kind === 'Deployment' ? 'deployments_list' : `resources_list with kind "${kind}"`;
  return readWorkload(kube, { kind, namespace, name }).catch(
    withNotFoundHint(`Use ${lister} and namespace "${namespace}" to see the names there.`),
  );
}

/** Pod counts by status and the unhealthy pods as rows, for a workload's answer. */
export function podsSummary(pods: V1Pod[], now: Date = new Date()): { line: string; unhealthy: ReturnType<typeof summarizePod>[] } {
  const rows = pods.map((pod) => summarizePod(pod, now));
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const breakdown = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return {
    line: `${rows.length} pod${rows.length === 1 ? '' : 's'}${breakdown ? ` (${breakdown})` : ''}`,
    unhealthy: rows.filter((r) => r.anomalous),
  };
}

/**
 * workload_get: a Deployment, StatefulSet, DaemonSet, Job or CronJob as one answer — spec summary,
 * status and conditions, its ReplicaSets (Deployments) or Jobs (CronJobs), and its pods by status with
 * the unhealthy ones listed.
 */
export async function getWorkload(kube: KubeClient, args: WorkloadArguments): Promise<ToolResult> {
  const workload = await readWorkloadOrHint(kube, args);
  const now = new Date();
  const summary = summarizeWorkload(workload, now);
  const [children, pods] = await Promise.all([childrenOf(kube, workload, now), workloadPods(kube, workload)]);
  const { line, unhealthy } = podsSummary(pods, now);
  const what = `${args.kind} ${args.namespace}/${args.name}`;
  // The status line, conditions, images and pod statuses are read from the cluster: fenced. The verdict on
  // health is the tool's own.
  const parts: ResultPart[] = [
    own(`${what}${summary.healthy ? ' looks healthy' : ' needs attention'}:`),
    untrusted(what, stringify(pruneObject({ status: summary.status, ...summary.facts }), { lineWidth: 0 }).trimEnd()),
  ];
  if (children !== undefined) parts.push(own(''), ...children.text);
  parts.push(own(''));
  const podLines = [`Pods: ${line}${unhealthy.length > 0 ? '. Unhealthy:' : '.'}`];
  if (unhealthy.length > 0) {
    podLines.push(
      formatTable(unhealthy.slice(0, 10), [
        { header: 'name', value: (r) => r.name },
        { header: 'ready', value: (r) => r.ready },
        { header: 'status', value: (r) => r.status },
        { header: 'restarts', value: (r) => r.restarts },
        { header: 'node', value: (r) => r.node },
        { header: 'last termination', value: (r) => r.lastTermination },
      ]),
    );
  }
  parts.push(untrusted(`pods of ${what}`, podLines.join('\n')));
  if (unhealthy.length > 10) parts.push(own(`... and ${unhealthy.length - 10} more; use pods_list with a labelSelector to see them.`));
  if (unhealthy.length > 0) parts.push(own('Call diagnose with this kind and name for the reasons and log tails.'));
  return {
    text: parts,
    structuredContent: {
      kind: args.kind,
      namespace: args.namespace,
      name: args.name,
      healthy: summary.healthy,
      status: summary.status,
      ...(pruneObject(summary.facts) as Record<string, unknown>),
      ...(children === undefined ? {} : { [children.key]: children.rows }),
      pods: { total: pods.length, unhealthy: unhealthy.map(({ anomalous: _a, ...row }) => row) },
    },
  };
}

interface Children {
  key: string;
  text: ResultPart[];
  rows: Record<string, unknown>[];
}

async function childrenOf(kube: KubeClient, workload: Workload, now: Date): Promise<Children | undefined> {
  if (workload.kind === 'Deployment') {
    const replicaSets = await ownedReplicaSets(kube, workload.object);
    const rows = replicaSets.slice(0, 5).map((rs) => replicaSetRow(rs, now));
    const more = replicaSets.length > 5 ? ` (newest 5 of ${replicaSets.length}; rollout_history lists all)` : '';
    return {
      key: 'replicaSets',
      rows,
      text: [
        own(`ReplicaSets${more}:`),
        untrusted(
          `ReplicaSets of deployment ${workload.object.metadata?.namespace ?? ''}/${workload.object.metadata?.name ?? ''}`,
          formatTable(rows, replicaSetColumns),
        ),
      ],
    };
  }
  if (workload.kind === 'CronJob') {
    const jobs = await ownedJobs(kube, workload.object);
    const rows = jobs.slice(0, 5).map((job) => jobRow(job, now));
    if (rows.length === 0) return { key: 'jobs', rows, text: [own('Jobs: none exist now.')] };
    return {
      key: 'jobs',
      rows,
      text: [
        own('Jobs (newest first):'),
        untrusted(
          `Jobs of cronjob ${workload.object.metadata?.namespace ?? ''}/${workload.object.metadata?.name ?? ''}`,
          formatTable(rows, jobColumns),
        ),
      ],
    };
  }
  return undefined;
}

type ReplicaSetRow = ReturnType<typeof replicaSetRow>;
function replicaSetRow(rs: V1ReplicaSet, now: Date) {
  return {
    revision: revisionOf(rs),
    name: rs.metadata?.name ?? '',
    ready: `${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0}`,
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
    age: formatAge(rs.metadata?.creationTimestamp, now),
  };
}
const replicaSetColumns = [
  { header: 'revision', value: (r: ReplicaSetRow) => r.revision },
  { header: 'name', value: (r: ReplicaSetRow) => r.name },
  { header: 'ready', value: (r: ReplicaSetRow) => r.ready },
  { header: 'images', value: (r: ReplicaSetRow) => r.images },
  { header: 'age', value: (r: ReplicaSetRow) => r.age },
];

type JobRow = ReturnType<typeof jobRow>;
function jobRow(job: V1Job, now: Date) {
  const failed = (job.status?.conditions ?? []).find((c) => c.type === 'Failed' && c.status === 'True');
  const complete = (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
  return {
    name: job.metadata?.name ?? '',
    status: failed ? `Failed (${failed.reason ?? ''})` : complete ? 'Complete' : 'Running',
    succeeded: job.status?.succeeded ?? 0,
    failed: job.status?.failed ?? 0,
    age: formatAge(job.metadata?.creationTimestamp, now),
  };
}
const jobColumns = [
  { header: 'name', value: (r: JobRow) => r.name },
  { header: 'status', value: (r: JobRow) => r.status },
  { header: 'succeeded', value: (r: JobRow) => r.succeeded },
  { header: 'failed', value: (r: JobRow) => r.failed },
  { header: 'age', value: (r: JobRow) => r.age },
];
