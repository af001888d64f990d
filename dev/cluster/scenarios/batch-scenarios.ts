import { ago, containerStatus, event, job, namespace, pod, podConditions, replicaSet, type Obj, type PodSeed } from './build.ts';
import type { Scenario } from './scenario.ts';

/** Jobs and CronJobs that fail or never run, a rollout that stalls, a namespace that will not go, a custom resource. */

const reportSpec = {
  containers: [
    {
      name: 'report',
      image: 'ghcr.io/acme/reporting:2026.01',
      command: ['python', '-m', 'reports.nightly'],
      env: [
        { name: 'PGHOST', value: 'warehouse-db' },
        { name: 'PGUSER', value: 'reporter' },
      ],
    },
  ],
};
const failedAttempt = (suffix: string, finished: string): PodSeed => ({
  suffix,
  node: 'node-2',
  phase: 'Failed',
  podIP: '10.244.2.180',
  conditions: podConditions({ ready: { reason: 'PodFailed', message: '' } }),
  containers: [
    containerStatus({
      name: 'report',
      image: 'ghcr.io/acme/reporting:2026.01',
      terminated: { reason: 'Error', exitCode: 1, started: finished, finished },
    }),
  ],
});
// The decisive line sits among others, and the log ends with the retry loop's last words.
const reportLog =
  [
    '2026-01-15 02:00:04 INFO reports.nightly: building nightly revenue report for 2026-01-14',
    '2026-01-15 02:00:04 INFO reports.db: connecting to warehouse-db:5432 as reporter',
    '2026-01-15 02:00:04 ERROR reports.db: connection failed: FATAL:  password authentication failed for user "reporter"',
    '2026-01-15 02:00:05 INFO reports.db: retrying in 5s (1/3)',
    '2026-01-15 02:00:10 INFO reports.db: retrying in 5s (2/3)',
    '2026-01-15 02:00:15 INFO reports.db: retrying in 5s (3/3)',
    '2026-01-15 02:00:20 INFO reports.nightly: giving up after 3 retries, exiting with status 1',
  ].join('\n') + '\n';

const jobBackoff: Scenario = {
  rule: 'job-backoff-limit',
  namespace: 'triage-job-backoff',
  objects: [
    namespace('triage-job-backoff'),
    ...job({
      namespace: 'triage-job-backoff',
      name: 'nightly-report',
      podSpec: reportSpec,
      spec: { backoffLimit: 3 },
      pods: [failedAttempt('5kq2w', '40m'), failedAttempt('r8t3v', '12m')],
      status: {
        startTime: ago('1h'),
        failed: 4,
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: ago('12m'),
            lastTransitionTime: ago('12m'),
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: ago('12m'),
            lastTransitionTime: ago('12m'),
          },
        ],
      },
    }),
    event({
      namespace: 'triage-job-backoff',
      object: { kind: 'Job', name: 'nightly-report' },
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'Created pod: nightly-report-r8t3v',
      first: '13m',
      last: '13m',
      source: 'job-controller',
    }),
    event({
      namespace: 'triage-job-backoff',
      object: { kind: 'Job', name: 'nightly-report' },
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      first: '12m',
      last: '12m',
      source: 'job-controller',
    }),
  ],
  logs: ['5kq2w', 'r8t3v'].map((suffix) => ({
    namespace: 'triage-job-backoff',
    pod: `nightly-report-${suffix}`,
    container: 'report',
    current: reportLog,
  })),
  subject: { kind: 'Job', namespace: 'triage-job-backoff', name: 'nightly-report' },
  verdict: [/BackoffLimitExceeded/, /password authentication failed for user "reporter"/],
  facts: [/backoffLimit 3/, /4 failed/, /exit(s)? 1/],
  question: 'the nightly-report job in triage-job-backoff failed, why?',
};

const jobDeadline: Scenario = {
  rule: 'job-deadline-exceeded',
  namespace: 'triage-job-deadline',
  objects: [
    namespace('triage-job-deadline'),
    ...job({
      namespace: 'triage-job-deadline',
      name: 'reindex',
      podSpec: { containers: [{ name: 'reindex', image: 'ghcr.io/acme/search-tools:4.2', args: ['reindex', '--all'] }] },
      spec: { activeDeadlineSeconds: 600 },
      pods: [],
      status: {
        startTime: ago('22m'),
        failed: 1,
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
            lastProbeTime: ago('12m'),
            lastTransitionTime: ago('12m'),
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
            lastProbeTime: ago('12m'),
            lastTransitionTime: ago('12m'),
          },
        ],
      },
    }),
    event({
      namespace: 'triage-job-deadline',
      object: { kind: 'Job', name: 'reindex' },
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'Created pod: reindex-m2k8v',
      first: '22m',
      last: '22m',
      source: 'job-controller',
    }),
    event({
      namespace: 'triage-job-deadline',
      object: { kind: 'Job', name: 'reindex' },
      type: 'Normal',
      reason: 'SuccessfulDelete',
      message: 'Deleted pod: reindex-m2k8v',
      first: '12m',
      last: '12m',
      source: 'job-controller',
    }),
    event({
      namespace: 'triage-job-deadline',
      object: { kind: 'Job', name: 'reindex' },
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
      first: '12m',
      last: '12m',
      source: 'job-controller',
    }),
  ],
  subject: { kind: 'Job', namespace: 'triage-job-deadline', name: 'reindex' },
  verdict: [/DeadlineExceeded/, /activeDeadlineSeconds 600/],
  facts: [/reindex-m2k8v/, /Deleted pod/],
  question: 'why did the reindex job in triage-job-deadline fail?',
};

const cronSuspended: Scenario = {
  rule: 'cronjob-not-scheduling',
  namespace: 'triage-cron',
  objects: [
    namespace('triage-cron'),
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'triage-cron' },
      spec: {
        schedule: '0 2 * * *',
        timeZone: 'Etc/UTC',
        suspend: true,
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'backup', image: 'ghcr.io/acme/pg-backup:16', args: ['--to', 's3://acme-backups/prod'] }],
              },
            },
          },
        },
      },
      status: { lastScheduleTime: ago('4d'), lastSuccessfulTime: ago('4d') },
    },
    event({
      namespace: 'triage-cron',
      object: { kind: 'CronJob', name: 'backup' },
      type: 'Normal',
      reason: 'SawCompletedJob',
      message: 'Saw completed job: backup-29470200, status: Complete',
      first: '4d',
      last: '4d',
      source: 'cronjob-controller',
    }),
  ],
  subject: { kind: 'CronJob', namespace: 'triage-cron', name: 'backup' },
  verdict: [/suspend/, /backup/],
  facts: [/0 2 \* \* \*/, /4d/],
  question: 'the backup CronJob in triage-cron has not run for days, why?',
};

// A rollout whose new pods never pass readiness: the old ReplicaSet keeps serving, the deadline passes.
const webImage = (version: string) => `ghcr.io/acme/payments-web:${version}`;
const webSpec = (version: string) => ({
  containers: [
    {
      name: 'web',
      image: webImage(version),
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
    },
  ],
});
const webLabels = { app: 'payments-web' };
const rsWith = (hash: string, version: string, revision: string, replicas: number, ready: number): Obj =>
  replicaSet({
    namespace: 'triage-rollout',
    name: `payments-web-${hash}`,
    labels: { ...webLabels, 'pod-template-hash': hash },
    podSpec: webSpec(version),
    replicas,
    ready,
    revision,
    owner: 'payments-web',
  });
const webPod = (hash: string, version: string, suffix: string, nodeIndex: number, ready: boolean): Obj =>
  pod({
    namespace: 'triage-rollout',
    name: `payments-web-${hash}-${suffix}`,
    labels: { ...webLabels, 'pod-template-hash': hash },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `payments-web-${hash}` },
    podSpec: webSpec(version),
    seed: {
      suffix,
      node: `node-${nodeIndex}`,
      phase: 'Running',
      podIP: `10.244.${nodeIndex}.2${suffix.length}${nodeIndex}`,
      conditions: podConditions(
        ready ? { since: '2d' } : { ready: { reason: 'ContainersNotReady', message: 'containers with unready status: [web]' } },
      ),
      containers: [containerStatus({ name: 'web', image: webImage(version), ready, running: ready ? '2d' : '18m' })],
    },
  });
const rollout: Scenario = {
  rule: 'rollout-stuck',
  namespace: 'triage-rollout',
  objects: [
    namespace('triage-rollout'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'payments-web',
        namespace: 'triage-rollout',
        labels: webLabels,
        annotations: { 'deployment.kubernetes.io/revision': '4' },
      },
      spec: {
        replicas: 3,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: webLabels },
        template: { metadata: { labels: webLabels }, spec: webSpec('3.1.0') },
      },
      status: {
        observedGeneration: 4,
        replicas: 4,
        updatedReplicas: 1,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 1,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: ago('2d'),
            lastTransitionTime: ago('2d'),
          },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "payments-web-5f6d7c8b9" has timed out progressing.',
            lastUpdateTime: ago('8m'),
            lastTransitionTime: ago('8m'),
          },
        ],
      },
    },
    rsWith('6d8f7b9c5', '3.0.4', '3', 3, 3),
    rsWith('5f6d7c8b9', '3.1.0', '4', 1, 0),
    webPod('6d8f7b9c5', '3.0.4', 'aa1bb', 1, true),
    webPod('6d8f7b9c5', '3.0.4', 'cc2dd', 2, true),
    webPod('6d8f7b9c5', '3.0.4', 'ee3ff', 1, true),
    webPod('5f6d7c8b9', '3.1.0', 'gg4hh', 2, false),
    event({
      namespace: 'triage-rollout',
      object: { kind: 'Deployment', name: 'payments-web' },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set payments-web-5f6d7c8b9 from 0 to 1',
      first: '18m',
      last: '18m',
      source: 'deployment-controller',
    }),
    event({
      namespace: 'triage-rollout',
      object: { kind: 'Pod', name: 'payments-web-5f6d7c8b9-gg4hh', fieldPath: 'spec.containers{web}' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 500',
      count: 210,
      first: '18m',
      last: '4s',
      source: 'kubelet',
      host: 'node-2',
    }),
  ],
  logs: [
    {
      namespace: 'triage-rollout',
      pod: 'payments-web-5f6d7c8b9-gg4hh',
      container: 'web',
      current:
        [
          '{"level":"info","msg":"payments-web 3.1.0 listening","addr":":8080"}',
          '{"level":"error","msg":"readiness: schema version 41 is older than required 42: run the 3.1.0 migrations first"}',
          '{"level":"info","msg":"GET /ready","status":500}',
          '{"level":"info","msg":"GET /ready","status":500}',
        ].join('\n') + '\n',
    },
  ],
  subject: { kind: 'Deployment', namespace: 'triage-rollout', name: 'payments-web' },
  verdict: [/[Rr]ollout/, /ProgressDeadlineExceeded/, /payments-web-5f6d7c8b9/, /readiness/],
  facts: [/3\.1\.0/, /3\.0\.4/, /statuscode: 500|HTTP 500/, /schema version 41/],
  question: 'the payments-web rollout in triage-rollout is stuck, why?',
};

const stuckNamespace: Scenario = {
  rule: 'namespace-stuck-terminating',
  namespace: 'triage-ns-stuck',
  objects: [
    namespace('triage-ns-stuck'),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tenant-lock', namespace: 'triage-ns-stuck', finalizers: ['tenants.acme.io/cleanup'] },
      data: { owner: 'tenant-operator' },
    },
  ],
  deleteNamespace: true,
  subject: { kind: 'Namespace', name: 'triage-ns-stuck' },
  verdict: [/Terminating/, /finalizer/, /tenants\.acme\.io\/cleanup/],
  facts: [/NamespaceFinalizersRemaining/, /configmaps/],
  question: 'namespace triage-ns-stuck has been Terminating for an hour, why?',
};

/** The conditions the namespace controller would have written for triage-ns-stuck. */
export const STUCK_NAMESPACE_STATUS = {
  phase: 'Terminating',
  conditions: [
    {
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'False',
      reason: 'ResourcesDiscovered',
      message: 'All resources successfully discovered',
      lastTransitionTime: ago('1h'),
    },
    {
      type: 'NamespaceDeletionGroupVersionParsingFailure',
      status: 'False',
      reason: 'ParsedGroupVersions',
      message: 'All legacy kube types successfully parsed',
      lastTransitionTime: ago('1h'),
    },
    {
      type: 'NamespaceDeletionContentFailure',
      status: 'False',
      reason: 'ContentDeleted',
      message: 'All content successfully deleted, may be waiting on finalization',
      lastTransitionTime: ago('1h'),
    },
    {
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances',
      lastTransitionTime: ago('1h'),
    },
    {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: tenants.acme.io/cleanup in 1 resource instances',
      lastTransitionTime: ago('1h'),
    },
  ],
};

const certificate: Scenario = {
  rule: 'custom-resource-not-ready',
  namespace: 'triage-certs',
  objects: [
    namespace('triage-certs'),
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'shop-tls', namespace: 'triage-certs' },
      spec: { secretName: 'shop-tls', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' } },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'DoesNotExist',
            message: 'Issuing certificate as Secret does not exist',
            lastTransitionTime: ago('3h'),
            observedGeneration: 1,
          },
          {
            type: 'Issuing',
            status: 'False',
            reason: 'Failed',
            message:
              'The certificate request has failed to complete and will be retried: Failed to wait for order resource "shop-tls-1-2871640512" to become ready: order is in "invalid" state: 403 urn:ietf:params:acme:error:unauthorized: Invalid response from http://shop.example.com/.well-known/acme-challenge/x8Kp2: 404',
            lastTransitionTime: ago('2h'),
            observedGeneration: 1,
          },
        ],
        failedIssuanceAttempts: 3,
        lastFailureTime: ago('2h'),
      },
    },
    event({
      namespace: 'triage-certs',
      object: { kind: 'Certificate', name: 'shop-tls', apiVersion: 'cert-manager.io/v1' },
      reason: 'Failed',
      message:
        'The certificate request has failed to complete and will be retried: Failed to wait for order resource "shop-tls-1-2871640512" to become ready: order is in "invalid" state',
      count: 3,
      first: '3h',
      last: '2h',
      source: 'cert-manager-certificates-issuing',
    }),
  ],
  subject: { kind: 'Certificate', namespace: 'triage-certs', name: 'shop-tls' },
  verdict: [/Certificate triage-certs\/shop-tls/, /Ready=False/, /DoesNotExist|Issuing/],
  facts: [/acme-challenge/, /cert-manager-certificates-issuing|Failed/],
  question: 'why is the shop-tls certificate in triage-certs not ready?',
};

export const batchScenarios: Scenario[] = [jobBackoff, jobDeadline, cronSuspended, rollout, stuckNamespace, certificate];
