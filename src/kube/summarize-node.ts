import type { V1Node } from '@kubernetes/client-node';
import { formatAge } from './format-age.ts';
import { readableMemory } from './readable-memory.ts';

/** One node as `kubectl get nodes -o wide` shows it, plus pressure conditions. */
export interface NodeRow {
  name: string;
  /** Ready, NotReady or Unknown, with ",SchedulingDisabled" when cordoned (as kubectl prints it). */
  status: string;
  roles: string;
  age: string;
  version: string;
  /** Conditions other than Ready that are True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  problems?: string;
  /** "key=value:Effect" or "key:Effect", comma-separated. */
  taints?: string;
  /** Allocatable CPU, memory (in Gi when large) and pod slots. */
  cpu?: string;
  memory?: string;
  pods?: string;
  internalIP?: string;
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
  const taints = (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  if (taints.length > 0) row.taints = taints.join(',');
  const allocatable = node.status?.allocatable ?? {};
  if (allocatable.cpu !== undefined) row.cpu = allocatable.cpu;
  if (allocatable.memory !== undefined) row.memory = readableMemory(allocatable.memory);
  if (allocatable.pods !== undefined) row.pods = allocatable.pods;
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (ip !== undefined) row.internalIP = ip;
  return row;
}
