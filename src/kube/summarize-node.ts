import type { V1Node } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';

/** One node as `kubectl get nodes -o wide` shows it, plus pressure conditions. */
export interface NodeRow {
  name: string;
  /** Ready, NotReady or Unknown, with ",SchedulingDisabled" when cordoned (as kubectl prints it). */
  status: string;
  roles: string;
  age: string;
  version: string;
  /** Conditions other than Ready that are True (MemoryPressure, DiskPressure, ...). */
  problems?: string;
  anomalous: boolean;
}

const ROLE_LABEL = 'node-role.kubernetes.io/';

export function summarizeNode(node: V1Node, now: Date = new Date()): NodeRow {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  // As kubectl: a Ready condition that is False or Unknown (node unreachable) both print NotReady.
  let status = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable === true) status += ',SchedulingDisabled';
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((label) => label.startsWith(ROLE_LABEL))
    .map((label) => label.slice(ROLE_LABEL.length));
  const row: NodeRow = {
    name: node.metadata?.name ?? '',
    status,
    roles: roles.length > 0 ? roles.join(',') : '<none>',
    age: formatAge(node.metadata?.creationTimestamp, now),
    version: node.status?.nodeInfo?.kubeletVersion ?? '',
    anomalous: status !== 'Ready',
  };
  const problems = conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type);
  if (problems.length > 0) {
    row.problems = problems.join(',');
    row.anomalous = true;
  }
  return row;
}
