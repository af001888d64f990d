import { formatAge } from '../../kube/format-age.ts';
import { BUILT_IN_KINDS } from '../api-kinds.ts';
import type { Evidence } from '../evidence.ts';
import { conditionLine, conditionOf, conditionsOf, refLabel, type Condition, type KubeObject } from '../kube-object.ts';
import { eventFact } from './pod-view.ts';
import type { DiagnosisRule } from './rule.ts';

/** A namespace that stays Terminating: something in it keeps a finalizer no controller removes. */
export const namespaceStuckTerminating: DiagnosisRule = {
  id: 'namespace-stuck-terminating',
  failureClass: 'Namespace stuck Terminating on finalizers',
  needs: [],
  detect(ev) {
    if (ev.subject.kind !== 'Namespace') return [];
    const namespace = ev.get<KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string } }>(ev.subject);
    if (namespace?.metadata?.deletionTimestamp === undefined && namespace?.status?.phase !== 'Terminating') return [];
    const finalizers = conditionOf(namespace, 'NamespaceFinalizersRemaining');
    const content = conditionOf(namespace, 'NamespaceContentRemaining');
    const failures = conditionsOf(namespace).filter((c) => c.status === 'True' && /Failure$/.test(c.type));
    const held =
      finalizers?.status === 'True'
        ? /finalizers remaining: (.+?) in \d+ resource instances/.exec(finalizers.message ?? '')?.[1]
        : undefined;
    const since =
      namespace.metadata?.deletionTimestamp === undefined ? '' : ` for ${formatAge(namespace.metadata.deletionTimestamp, ev.now)}`;
    const why =
      held !== undefined
        ? `objects in it keep finalizer ${held}, which nothing removes (its controller is gone or failing)`
        : failures[0] !== undefined
          ? `deletion fails: ${conditionLine(failures[0], 200)}`
          : content?.status === 'True'
            ? `content remains: ${content.message ?? ''}`
            : `its own finalizers (${(namespace.spec?.finalizers ?? []).join(', ') || 'none'}) are not cleared`;
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Namespace ${ev.subject.name} is stuck Terminating${since}: ${why}`,
        facts: [
          ...[finalizers, content, ...failures].flatMap((c) => (c === undefined || c.status !== 'True' ? [] : [conditionLine(c, 300)])),
          `spec.finalizers: ${(namespace.spec?.finalizers ?? []).join(', ') || 'none'}`,
        ],
        fix:
          held !== undefined
            ? `bring back the controller that owns ${held} (it removes its finalizers), or, once sure the cleanup is not needed, remove the finalizer from the remaining objects`
            : 'fix the failing API group (the condition names it) so the namespace controller can finish',
      },
    ];
  },
};

/** Condition types that are bad when True; for every other type, False is the bad value. */
const NEGATIVE = new Set([
  'Degraded',
  'Stalled',
  'Failed',
  'Failure',
  'Error',
  'ReplicaFailure',
  'Reconciling',
  'Suspended',
  'Terminating',
]);

function badConditions(object: KubeObject | undefined): Condition[] {
  return conditionsOf(object).filter((c) => (NEGATIVE.has(c.type) ? c.status === 'True' : c.status === 'False' || c.status === 'Unknown'));
}

/** Any other kind (a custom resource, a PodDisruptionBudget...): its status conditions and events. */
export const customResourceNotReady: DiagnosisRule = {
  id: 'custom-resource-not-ready',
  failureClass: 'Custom resource not ready (status conditions)',
  needs: ['events'],
  detect(ev) {
    if (BUILT_IN_KINDS[ev.subject.kind] !== undefined && !['PodDisruptionBudget'].includes(ev.subject.kind)) return [];
    const object = ev.get(ev.subject);
    const bad = badConditions(object);
    const phase = (object?.status as { phase?: string } | undefined)?.phase;
    if (bad.length === 0 && !(phase !== undefined && /fail|error/i.test(phase))) return [];
    const warnings = ev.eventsOf(ev.subject).filter((e) => e.type === 'Warning');
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause:
          bad.length > 0
            ? bad
                .slice(0, 2)
                .map((c) => conditionLine(c, 200))
                .join('; ')
            : `phase ${phase ?? ''}`,
        facts: [...bad.map((c) => conditionLine(c, 600)), ...warnings.slice(0, 2).map((e) => eventFact(e, ev.now))],
        fix: `the controller of ${refLabel(ev.subject).split(' ')[0] ?? 'this kind'} reports the reason above; its events and its own logs say more`,
      },
    ];
  },
};

export const clusterRules: DiagnosisRule[] = [namespaceStuckTerminating, customResourceNotReady];

/** Whether a subject with no finding is healthy, for the verdict (no pods examined, no bad condition). */
export function subjectLooksHealthy(ev: Evidence): boolean {
  return ev.examined.length === 0 && badConditions(ev.get(ev.subject)).length === 0;
}
