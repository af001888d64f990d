import type {
  V1HorizontalPodAutoscaler,
  V1Ingress,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import { podReady, podRestarts, podStatus } from '../kube/pod-status.ts';
import type { Workload } from '../kube/read-workload.ts';
import { summarizeNode } from '../kube/summarize-node.ts';
import { summarizeWorkload } from '../kube/summarize-workload.ts';
import type { Evidence } from './evidence.ts';
import { conditionLine, conditionsOf, mapSelectorString } from './kube-object.ts';

export interface SubjectStatus {
  /** One line: "0/1 ready, 1 up-to-date, 0 available", "CrashLoopBackOff, 0/1 ready, 7 restarts". */
  status: string;
  /** Whether the subject's own status says all is well (rules may still find something). */
  healthy: boolean;
  /** Conditions that are not as they should be, as lines. */
  conditions: string[];
}

/** The subject's status as `kubectl get` would judge it, whatever its kind. */
export function subjectStatus(ev: Evidence): SubjectStatus {
  const object = ev.get(ev.subject);
  const kind = ev.subject.kind;
  const badConditions = conditionsOf(object)
    .filter((c) => (c.type === 'ReplicaFailure' ? c.status === 'True' : c.status !== 'True'))
    .map((c) => conditionLine(c, 200));
  switch (kind) {
    case 'Pod': {
      const pod = object as V1Pod;
      const { ready, total } = podReady(pod);
      const status = podStatus(pod);
      return {
        status: `${status}, ${ready}/${total} ready, ${podRestarts(pod).restarts} restarts`,
        healthy: ['Running', 'Completed', 'Succeeded'].includes(status),
        conditions: badConditions,
      };
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'CronJob': {
      // The walk reads JSON; summarizeWorkload reads the same fields (timestamps as strings, which formatAge takes).
      const summary = summarizeWorkload({ kind, object } as Workload, ev.now);
      return { status: summary.status, healthy: summary.healthy, conditions: badConditions };
    }
    case 'ReplicaSet': {
      const rs = object as V1ReplicaSet;
      const ready = rs.status?.readyReplicas ?? 0;
      const desired = rs.spec?.replicas ?? 0;
      return { status: `${ready}/${desired} ready`, healthy: ready >= desired, conditions: badConditions };
    }
    case 'Service': {
      const service = object as V1Service;
      const ready = ev.pods.filter(
        (p) => podStatus(p) === 'Running' && conditionsOf(p).some((c) => c.type === 'Ready' && c.status === 'True'),
      ).length;
      const selector = mapSelectorString(service.spec?.selector);
      return {
        status: `${service.spec?.type ?? 'ClusterIP'}${selector ? `, selector ${selector}` : ', no selector'}, ${ev.pods.length} pod${ev.pods.length === 1 ? '' : 's'} (${ready} ready)`,
        healthy: selector === '' || ready > 0,
        conditions: [],
      };
    }
    case 'Ingress': {
      const ingress = object as V1Ingress;
      const hosts = [...new Set((ingress.spec?.rules ?? []).map((r) => r.host ?? '*'))];
      const addresses = (ingress.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((a) => a !== '');
      return {
        status: `hosts ${hosts.join(', ') || '*'}, ${addresses.length > 0 ? `address ${addresses.join(', ')}` : 'no address'}`,
        healthy: true,
        conditions: [],
      };
    }
    case 'PersistentVolumeClaim': {
      const claim = object as V1PersistentVolumeClaim;
      const phase = claim.status?.phase ?? 'Unknown';
      return {
        status: `${phase}, ${claim.spec?.resources?.requests?.storage ?? '?'}, class ${claim.spec?.storageClassName ?? '(default)'}`,
        healthy: phase === 'Bound',
        conditions: badConditions,
      };
    }
    case 'Node': {
      const row = summarizeNode(object as V1Node, ev.now);
      return {
        status: `${row.status}${row.problems ? `, ${row.problems}` : ''}, ${ev.pods.length} pod${ev.pods.length === 1 ? '' : 's'}`,
        healthy: !row.anomalous,
        conditions: [],
      };
    }
    case 'HorizontalPodAutoscaler': {
      const hpa = object as V1HorizontalPodAutoscaler;
      return {
        status: `${hpa.status?.currentReplicas ?? '?'}/${hpa.status?.desiredReplicas ?? '?'} replicas (min ${hpa.spec?.minReplicas ?? 1}, max ${hpa.spec?.maxReplicas ?? '?'})`,
        healthy: badConditions.length === 0,
        conditions: badConditions,
      };
    }
    case 'Namespace': {
      const phase = (object?.status as { phase?: string } | undefined)?.phase ?? 'Unknown';
      const unhealthy = ev.examined.length;
      return {
        status: `${phase}, ${ev.pods.length} pods${unhealthy > 0 ? ` (${unhealthy}${unhealthy >= 3 ? '+' : ''} need attention)` : ''}`,
        healthy: phase === 'Active',
        conditions: badConditions.filter((c) => !c.startsWith('Namespace')),
      };
    }
    default: {
      const phase = (object?.status as { phase?: string } | undefined)?.phase;
      return {
        status: badConditions.length === 0 ? (phase ?? 'no conditions') : `${badConditions.length} condition(s) not as expected`,
        healthy: badConditions.length === 0,
        conditions: badConditions,
      };
    }
  }
}
