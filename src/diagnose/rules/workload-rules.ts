import type {
  V1CronJob,
  V1Deployment,
  V1HorizontalPodAutoscaler,
  V1Job,
  V1Pod,
  V1ReplicaSet,
  V1ResourceQuota,
} from '@kubernetes/client-node';
import { formatAge } from '../../kube/format-age.ts';
import type { Evidence } from '../evidence.ts';
import { conditionLine, conditionOf, conditionsOf, quoteLine, refLabel, refOf, type ObjectRef } from '../kube-object.ts';
import { eventFact, eventsWith, podName, podRef } from './pod-view.ts';
import type { DiagnosisRule, FindingsSoFar } from './rule.ts';

/** The subject Job, or a subject CronJob's newest Job. */
function jobOf(ev: Evidence): V1Job | undefined {
  if (ev.subject.kind === 'Job') return ev.get<V1Job>(ev.subject);
  if (ev.subject.kind === 'CronJob') return ev.listed<V1Job>('jobs')?.[0];
  return undefined;
}

/** What the examined pods' findings say, for a composite verdict: "each attempt: <cause>". */
function podCauses(ev: Evidence, found: FindingsSoFar, pods: V1Pod[] = ev.examined): { cause?: string; facts: string[] } {
  const findings = pods.flatMap((pod) => {
    const f = found.of(podRef(pod));
    return f === undefined ? [] : [{ pod, f }];
  });
  const first = findings[0];
  if (first === undefined) return { facts: [] };
  return { cause: first.f.cause, facts: [`pod ${podName(first.pod)} → ${first.f.cause}`, ...first.f.facts.slice(0, 2)] };
}

function failedCondition(job: V1Job | undefined): { reason?: string; message?: string } | undefined {
  return job?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
}

/** A Job that failed after its retries: every attempt failed, and the attempts' own failure is the cause. */
export const jobBackoffLimit: DiagnosisRule = {
  id: 'job-backoff-limit',
  failureClass: 'Job BackoffLimitExceeded',
  needs: ['workloads', 'pods', 'logs'],
  composite: true,
  detect(ev, found) {
    const job = jobOf(ev);
    const failed = failedCondition(job);
    if (job === undefined || failed?.reason !== 'BackoffLimitExceeded') return [];
    const { cause, facts } = podCauses(ev, found);
    const name = job.metadata?.name ?? '';
    return [
      {
        rule: this.id,
        about: refOf(job, 'Job'),
        cause: `Job ${name} failed (BackoffLimitExceeded): ${job.status?.failed ?? '?'} failed attempts, backoffLimit ${job.spec?.backoffLimit ?? 6}; ${cause === undefined ? 'its pods are gone, so their logs are too' : `the last attempt: ${cause}`}`,
        facts: [
          `Job ${name} has ${job.status?.failed ?? 0} failed, ${job.status?.succeeded ?? 0} succeeded, started ${formatAge(job.status?.startTime, ev.now)} ago`,
          ...facts,
        ],
        fix: 'fix what the attempts fail on, then re-run the Job (a Job does not retry after BackoffLimitExceeded)',
      },
    ];
  },
};

/** A Job stopped by its activeDeadlineSeconds. */
export const jobDeadlineExceeded: DiagnosisRule = {
  id: 'job-deadline-exceeded',
  failureClass: 'Job DeadlineExceeded',
  needs: ['workloads', 'events'],
  composite: true,
  detect(ev, found) {
    const job = jobOf(ev);
    const failed = failedCondition(job);
    if (job === undefined || failed?.reason !== 'DeadlineExceeded') return [];
    const ref = refOf(job, 'Job');
    const deadline = job.spec?.activeDeadlineSeconds;
    const { facts } = podCauses(ev, found);
    return [
      {
        rule: this.id,
        about: ref,
        cause: `Job ${ref.name} failed (DeadlineExceeded): it ran longer than activeDeadlineSeconds ${deadline ?? '?'}${deadline === undefined ? '' : ` (${formatAge(new Date(ev.now.getTime() - deadline * 1000), ev.now)})`} and the job controller stopped its pods`,
        facts: [
          `started ${formatAge(job.status?.startTime, ev.now)} ago; ${failed.message ?? ''}`,
          ...eventsWith(ev, ref, ['SuccessfulDelete', 'DeadlineExceeded'])
            .slice(0, 2)
            .map((e) => eventFact(e, ev.now)),
          ...facts,
        ],
        fix: 'raise activeDeadlineSeconds to what the work takes, or make each run do less',
      },
    ];
  },
};

/** A CronJob that creates no Jobs: suspended, or missing its start windows. */
export const cronJobNotScheduling: DiagnosisRule = {
  id: 'cronjob-not-scheduling',
  failureClass: 'CronJob not scheduling',
  needs: ['workloads', 'events'],
  composite: true,
  detect(ev) {
    if (ev.subject.kind !== 'CronJob') return [];
    const cron = ev.get<V1CronJob>(ev.subject);
    if (cron === undefined) return [];
    const last = cron.status?.lastScheduleTime as Date | string | undefined;
    const success = cron.status?.lastSuccessfulTime as Date | string | undefined;
    const lastText = `last scheduled ${last === undefined ? 'never' : `${formatAge(last, ev.now)} ago`}, last success ${success === undefined ? 'never' : `${formatAge(success, ev.now)} ago`}`;
    const missed = eventsWith(ev, ev.subject, ['FailedNeedsStart', 'MissSchedule', 'TooManyMissedTimes']);
    if (cron.spec?.suspend !== true && missed.length === 0) return [];
    const schedule = `schedule "${cron.spec?.schedule ?? ''}"${cron.spec?.timeZone ? ` (${cron.spec.timeZone})` : ''}`;
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause:
          cron.spec?.suspend === true
            ? `CronJob ${ev.subject.name} is suspended (spec.suspend: true): it creates no Jobs; ${schedule}, ${lastText}`
            : `CronJob ${ev.subject.name} misses its start times (${missed[0]?.reason ?? ''}): ${schedule}, ${lastText}`,
        facts: [
          `${schedule}, concurrencyPolicy ${cron.spec?.concurrencyPolicy ?? 'Allow'}${cron.spec?.startingDeadlineSeconds === undefined ? '' : `, startingDeadlineSeconds ${cron.spec.startingDeadlineSeconds}`}`,
          ...missed.slice(0, 1).map((e) => eventFact(e, ev.now)),
        ],
        fix:
          cron.spec?.suspend === true
            ? 'resume it (spec.suspend: false) if the suspension was not meant to last; run one Job by hand to catch up'
            : 'raise startingDeadlineSeconds, or fix what keeps the controller from starting Jobs in time',
      },
    ];
  },
};

/** A rollout past its progress deadline: the new ReplicaSet's pods do not become available. */
export const rolloutStuck: DiagnosisRule = {
  id: 'rollout-stuck',
  failureClass: 'Rollout stuck (ProgressDeadlineExceeded)',
  needs: ['workloads', 'pods'],
  composite: true,
  detect(ev, found) {
    if (ev.subject.kind !== 'Deployment') return [];
    const deployment = ev.get<V1Deployment>(ev.subject);
    const progressing = conditionOf(deployment, 'Progressing');
    if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return [];
    const [newest, ...older] = ev.listed<V1ReplicaSet>('replicaSets') ?? [];
    const image = (rs: V1ReplicaSet | undefined) => (rs?.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(', ');
    const revision = (rs: V1ReplicaSet | undefined) => rs?.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '?';
    const newPods = ev.examined.filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === newest?.metadata?.uid));
    const { cause, facts } = podCauses(ev, found, newPods.length > 0 ? newPods : ev.examined);
    const serving = older.find((rs) => (rs.status?.readyReplicas ?? 0) > 0);
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `Rollout stuck (ProgressDeadlineExceeded): new ReplicaSet ${newest?.metadata?.name ?? '?'} (revision ${revision(newest)}, ${image(newest)}) has ${newest?.status?.readyReplicas ?? 0}/${newest?.spec?.replicas ?? 0} ready${cause === undefined ? '' : `: ${cause}`}${serving === undefined ? '' : `; old ReplicaSet ${serving.metadata?.name ?? ''} (revision ${revision(serving)}, ${image(serving)}) still serves ${serving.status?.readyReplicas ?? 0}/${serving.spec?.replicas ?? 0}`}`,
        facts: [conditionLine(progressing), `progressDeadlineSeconds ${deployment?.spec?.progressDeadlineSeconds ?? 600}`, ...facts],
        fix: 'fix the new version (the pod cause above) and roll forward, or roll back to the serving revision (rollout_undo)',
      },
    ];
  },
};

/** Pods are not created because a ResourceQuota of the namespace refuses them. */
export const quotaExceeded: DiagnosisRule = {
  id: 'quota-exceeded',
  failureClass: 'Pods refused by ResourceQuota',
  needs: ['events', 'quotas'],
  composite: true,
  detect(ev) {
    const refs: ObjectRef[] = [
      ev.subject,
      ...(ev.listed<V1ReplicaSet>('replicaSets') ?? []).slice(0, 2).map((rs) => refOf(rs, 'ReplicaSet')),
    ];
    const events = refs.flatMap((ref) => eventsWith(ev, ref, ['FailedCreate'], /exceeded quota/).map((e) => ({ e, ref })));
    const condition = conditionsOf(ev.get(ev.subject)).find(
      (c) => c.type === 'ReplicaFailure' && c.status === 'True' && /exceeded quota/.test(c.message ?? ''),
    );
    const message = events[0]?.e.message ?? condition?.message;
    if (message === undefined) return [];
    const parsed = /exceeded quota: ([\w.-]+), requested: (.+?), used: (.+?), limited: (.+)$/.exec(message);
    const quotaName = parsed?.[1] ?? /exceeded quota: ([\w.-]+)/.exec(message)?.[1] ?? '?';
    const quota = (ev.listed<V1ResourceQuota>('quotas') ?? []).find((q) => q.metadata?.name === quotaName);
    const usage =
      quota === undefined
        ? []
        : Object.entries(quota.status?.hard ?? {}).map(([k, hard]) => `${k} ${quota.status?.used?.[k] ?? '?'}/${hard}`);
    const workload = ev.get<{ spec?: { replicas?: number }; status?: { replicas?: number; readyReplicas?: number } }>(ev.subject);
    const have = workload?.status?.replicas ?? ev.pods.length;
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `${have}/${workload?.spec?.replicas ?? '?'} pods exist: ResourceQuota ${quotaName} refuses more pods${parsed === null ? '' : ` (requested ${parsed[2]}, used ${parsed[3]}, limited ${parsed[4]})`}`,
        facts: [
          ...events.slice(0, 1).map(({ e, ref }) => `${eventFact(e, ev.now)} (on ${refLabel(ref)})`),
          ...(condition === undefined ? [] : [conditionLine(condition, 200)]),
          ...(usage.length === 0 ? [] : [`ResourceQuota ${quotaName} used/hard: ${usage.join(', ')}`]),
        ],
        fix: `raise ResourceQuota ${quotaName} or free room in the namespace (scale down, lower limits); the controller retries on its own`,
      },
    ];
  },
};

/** An autoscaler that cannot read its metrics: it never scales. */
export const hpaMetricsUnavailable: DiagnosisRule = {
  id: 'hpa-metrics-unavailable',
  failureClass: 'HPA unable to read metrics',
  needs: ['autoscalers', 'metrics', 'events'],
  composite: true,
  detect(ev) {
    if (ev.subject.kind !== 'HorizontalPodAutoscaler') return [];
    const hpa = ev.get<V1HorizontalPodAutoscaler & { spec?: { metrics?: { type: string; resource?: { name: string } }[] } }>(ev.subject);
    const active = conditionOf(hpa, 'ScalingActive');
    if (hpa === undefined || (active?.status !== 'False' && ev.metricsApi !== false)) return [];
    const resources = (hpa.spec?.metrics ?? []).flatMap((m) => (m.type === 'Resource' && m.resource ? [m.resource.name] : []));
    const noRequest = ev.pods
      .slice(0, 1)
      .flatMap((pod) =>
        (pod.spec?.containers ?? []).filter((c) => resources.some((r) => c.resources?.requests?.[r] === undefined)).map((c) => c.name),
      );
    const apiMissing = ev.metricsApi === false && resources.length > 0;
    const target = hpa.spec?.scaleTargetRef;
    return [
      {
        rule: this.id,
        about: ev.subject,
        cause: `HorizontalPodAutoscaler ${ev.subject.name} cannot read metrics${active ? ` (${active.type}=${active.status}, ${active.reason ?? ''})` : ''}${apiMissing ? ': the resource metrics API metrics.k8s.io is not served in this cluster (install metrics-server)' : active?.message ? `: ${quoteLine(active.message, 300)}` : ''}; it stays at ${hpa.status?.currentReplicas ?? '?'} replicas`,
        facts: [
          `target ${target?.kind ?? '?'} ${target?.name ?? '?'} has replicas ${hpa.status?.currentReplicas ?? '?'}/${hpa.status?.desiredReplicas ?? '?'} (min ${hpa.spec?.minReplicas ?? 1}, max ${hpa.spec?.maxReplicas ?? '?'})`,
          ...(active === undefined ? [] : [conditionLine(active, 400)]),
          ...(noRequest.length === 0
            ? []
            : [
                `containers with no ${resources.join('/')} request (utilization cannot be computed even with metrics): ${noRequest.join(', ')}`,
              ]),
          ...eventsWith(ev, ev.subject, [
            'FailedGetResourceMetric',
            'FailedComputeMetricsReplicas',
            'FailedGetPodsMetric',
            'FailedGetExternalMetric',
          ])
            .slice(0, 1)
            .map((e) => eventFact(e, ev.now)),
        ],
        fix: `${apiMissing ? 'install metrics-server (or the adapter for custom metrics)' : 'make the metrics source answer'}${noRequest.length > 0 ? `, and set ${resources.join('/')} requests on ${noRequest.join(', ')}` : ''}`,
      },
    ];
  },
};

export const workloadRules: DiagnosisRule[] = [
  quotaExceeded,
  jobBackoffLimit,
  jobDeadlineExceeded,
  cronJobNotScheduling,
  rolloutStuck,
  hpaMetricsUnavailable,
];
