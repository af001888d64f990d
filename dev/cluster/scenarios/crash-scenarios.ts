import { configMap, containerStatus, deployment, event, namespace, podConditions, secret } from './build.ts';
import type { Scenario } from './scenario.ts';

/** Containers that start and then die, or never become ready. */

const notReady = { reason: 'ContainersNotReady', message: 'containers with unready status' };

// A Node.js service whose config parser throws at start-up; npm's own error block follows the stack.
const ordersLog = [
  '> orders@2.3.1 start',
  '> node dist/server.js',
  '',
  '{"level":30,"time":1768468201123,"msg":"loading configuration","file":"/etc/orders/config.yaml"}',
  ...Array.from(
    { length: 40 },
    (_, i) =>
      `{"level":30,"time":${1768468201200 + i * 7},"msg":"registered route","method":"${i % 3 === 0 ? 'POST' : 'GET'}","path":"/api/v2/orders/${['list', 'get', 'create', 'cancel', 'refund'][i % 5]}/${i}"}`,
  ),
  '/app/dist/config.js:48',
  "    const [host, port] = settings.payments.endpoint.split(':');",
  '                                                    ^',
  '',
  "TypeError: Cannot read properties of undefined (reading 'split')",
  '    at parseEndpoints (/app/dist/config.js:48:53)',
  '    at loadConfig (/app/dist/config.js:21:10)',
  '    at Object.<anonymous> (/app/dist/server.js:12:16)',
  '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
  '',
  'Node.js v20.18.1',
  'npm ERR! code 1',
  'npm ERR! path /app',
  'npm ERR! command failed',
  'npm ERR! command sh -c node dist/server.js',
  '',
  'npm ERR! A complete log of this run can be found in: /root/.npm/_logs/2026-01-15T09_30_01_512Z-debug-0.log',
].join('\n');

const crashAppError: Scenario = {
  rule: 'crash-app-error',
  namespace: 'triage-crash-app',
  objects: [
    namespace('triage-crash-app'),
    configMap('triage-crash-app', 'orders-config', { 'config.yaml': 'listen: ":8080"\npayments: {}\n' }),
    ...deployment({
      namespace: 'triage-crash-app',
      name: 'orders',
      podSpec: {
        containers: [
          {
            name: 'orders',
            image: 'ghcr.io/acme/orders:2.3.1',
            ports: [{ name: 'http', containerPort: 8080 }],
            volumeMounts: [{ name: 'config', mountPath: '/etc/orders' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'orders-config' } }],
      },
      pods: [
        {
          suffix: 'q8m4z',
          node: 'node-1',
          phase: 'Running',
          podIP: '10.244.1.41',
          conditions: podConditions({ ready: notReady }),
          containers: [
            containerStatus({
              name: 'orders',
              image: 'ghcr.io/acme/orders:2.3.1',
              restarts: 14,
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=orders pod=orders-7c9f5d8b6-q8m4z_triage-crash-app(8d1c0b2e-41f5-4c3a-9a57-3e2f1d0c9b8a)',
              },
              last: { reason: 'Error', exitCode: 1, started: '3m', finished: '3m' },
            }),
          ],
        },
      ],
    }),
    event({
      namespace: 'triage-crash-app',
      object: { kind: 'Pod', name: 'orders-7c9f5d8b6-q8m4z', fieldPath: 'spec.containers{orders}' },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container orders in pod orders-7c9f5d8b6-q8m4z_triage-crash-app(8d1c0b2e-41f5-4c3a-9a57-3e2f1d0c9b8a)',
      count: 61,
      first: '50m',
      last: '1m',
      source: 'kubelet',
      host: 'node-1',
    }),
    event({
      namespace: 'triage-crash-app',
      object: { kind: 'Pod', name: 'orders-7c9f5d8b6-q8m4z', fieldPath: 'spec.containers{orders}' },
      type: 'Normal',
      reason: 'Pulled',
      message: 'Container image "ghcr.io/acme/orders:2.3.1" already present on machine',
      count: 14,
      first: '50m',
      last: '3m',
      source: 'kubelet',
      host: 'node-1',
    }),
  ],
  logs: [{ namespace: 'triage-crash-app', pod: 'orders-7c9f5d8b6-q8m4z', container: 'orders', previous: `${ordersLog}\n` }],
  subject: { kind: 'Deployment', namespace: 'triage-crash-app', name: 'orders' },
  verdict: [/CrashLoopBackOff/, /exits 1/, /TypeError: Cannot read properties of undefined \(reading 'split'\)/],
  facts: [/14 restarts/, /orders-7c9f5d8b6-q8m4z/, /config\.js:48/],
  question: 'why is orders crashlooping in triage-crash-app?',
};

const crashMissingEnv: Scenario = {
  rule: 'crash-missing-env',
  namespace: 'triage-crash-env',
  objects: [
    namespace('triage-crash-env'),
    secret('triage-crash-env', 'billing-env', {
      DATABASE_URL: 'postgres://billing:s3cr3t-billing@billing-db:5432/billing',
      LOG_LEVEL: 'info',
    }),
    ...deployment({
      namespace: 'triage-crash-env',
      name: 'billing',
      podSpec: {
        containers: [
          {
            name: 'billing',
            image: 'ghcr.io/acme/billing:5.0.2',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'PORT', value: '8080' },
              { name: 'REGION', value: 'eu-west-1' },
            ],
            envFrom: [{ secretRef: { name: 'billing-env' } }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          },
        ],
      },
      pods: [
        {
          suffix: 'w2n7d',
          node: 'node-2',
          phase: 'Running',
          podIP: '10.244.2.51',
          conditions: podConditions({ ready: notReady }),
          containers: [
            containerStatus({
              name: 'billing',
              image: 'ghcr.io/acme/billing:5.0.2',
              restarts: 9,
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=billing pod=billing-7c9f5d8b6-w2n7d_triage-crash-env(1f0e9d8c-7b6a-4543-a210-fedcba987654)',
              },
              last: { reason: 'Error', exitCode: 1, started: '2m', finished: '2m' },
            }),
          ],
        },
      ],
    }),
    event({
      namespace: 'triage-crash-env',
      object: { kind: 'Pod', name: 'billing-7c9f5d8b6-w2n7d', fieldPath: 'spec.containers{billing}' },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container billing in pod billing-7c9f5d8b6-w2n7d_triage-crash-env(1f0e9d8c-7b6a-4543-a210-fedcba987654)',
      count: 40,
      first: '30m',
      last: '1m',
      source: 'kubelet',
      host: 'node-2',
    }),
  ],
  logs: [
    {
      namespace: 'triage-crash-env',
      pod: 'billing-7c9f5d8b6-w2n7d',
      container: 'billing',
      previous:
        [
          'time="2026-01-15T09:28:01Z" level=info msg="billing 5.0.2 starting" commit=91ab3f0',
          'time="2026-01-15T09:28:01Z" level=info msg="connected to database" host=billing-db:5432',
          'time="2026-01-15T09:28:01Z" level=fatal msg="config: required environment variable STRIPE_API_KEY is not set"',
        ].join('\n') + '\n',
    },
  ],
  subject: { kind: 'Deployment', namespace: 'triage-crash-env', name: 'billing' },
  verdict: [/CrashLoopBackOff/, /STRIPE_API_KEY/, /not set|missing/],
  facts: [/billing-env/, /DATABASE_URL/, /9 restarts/],
  question: 'billing keeps restarting in triage-crash-env, why?',
};

const crashBadCommand: Scenario = {
  rule: 'crash-bad-command',
  namespace: 'triage-crash-command',
  objects: [
    namespace('triage-crash-command'),
    ...deployment({
      namespace: 'triage-crash-command',
      name: 'worker',
      podSpec: {
        containers: [
          {
            name: 'worker',
            image: 'ghcr.io/acme/mailer:1.4.0',
            command: ['gunicorn'],
            args: ['mailer.wsgi:app', '--workers=2'],
            resources: { requests: { cpu: '50m', memory: '64Mi' } },
          },
        ],
      },
      pods: [
        {
          suffix: 'h5t9c',
          node: 'node-1',
          phase: 'Running',
          podIP: '10.244.1.58',
          conditions: podConditions({ ready: notReady }),
          containers: [
            containerStatus({
              name: 'worker',
              image: 'ghcr.io/acme/mailer:1.4.0',
              restarts: 6,
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 2m40s restarting failed container=worker pod=worker-7c9f5d8b6-h5t9c_triage-crash-command(a1b2c3d4-e5f6-4789-abcd-0123456789ab)',
              },
              last: {
                reason: 'StartError',
                exitCode: 128,
                message:
                  'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "gunicorn": executable file not found in $PATH: unknown',
                started: '4m',
                finished: '4m',
              },
            }),
          ],
        },
      ],
    }),
    event({
      namespace: 'triage-crash-command',
      object: { kind: 'Pod', name: 'worker-7c9f5d8b6-h5t9c', fieldPath: 'spec.containers{worker}' },
      reason: 'Failed',
      message:
        'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "gunicorn": executable file not found in $PATH: unknown',
      count: 7,
      first: '15m',
      last: '4m',
      source: 'kubelet',
      host: 'node-1',
    }),
    event({
      namespace: 'triage-crash-command',
      object: { kind: 'Pod', name: 'worker-7c9f5d8b6-h5t9c', fieldPath: 'spec.containers{worker}' },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container worker in pod worker-7c9f5d8b6-h5t9c_triage-crash-command(a1b2c3d4-e5f6-4789-abcd-0123456789ab)',
      count: 22,
      first: '15m',
      last: '1m',
      source: 'kubelet',
      host: 'node-1',
    }),
  ],
  logs: [{ namespace: 'triage-crash-command', pod: 'worker-7c9f5d8b6-h5t9c', container: 'worker', previous: '' }],
  subject: { kind: 'Deployment', namespace: 'triage-crash-command', name: 'worker' },
  verdict: [/cannot start/, /gunicorn/, /not found in \$PATH|executable/],
  facts: [/StartError/, /exit 128/, /command: gunicorn mailer\.wsgi:app --workers=2/],
  question: 'the worker deployment in triage-crash-command never starts, what is wrong?',
};

const heapLines = (restart: number) =>
  [
    `{"ts":"2026-01-15T09:2${restart % 10}:00Z","level":"info","msg":"search-indexer starting","version":"3.0.1","restart":${restart}}`,
    '{"ts":"2026-01-15T09:20:01Z","level":"info","msg":"loading index shards","shards":24}',
    ...Array.from(
      { length: 12 },
      (_, i) =>
        `{"ts":"2026-01-15T09:20:${String(2 + i * 3).padStart(2, '0')}Z","level":"info","msg":"shard loaded","shard":${i},"rssMB":${60 + i * 17}}`,
    ),
  ].join('\n') + '\n';

const oomKilled: Scenario = {
  rule: 'oom-killed',
  namespace: 'triage-oom',
  objects: [
    namespace('triage-oom'),
    ...deployment({
      namespace: 'triage-oom',
      name: 'search-indexer',
      podSpec: {
        containers: [
          {
            name: 'indexer',
            image: 'ghcr.io/acme/search-indexer:3.0.1',
            resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
          },
        ],
      },
      pods: [
        {
          suffix: 'k4v8p',
          node: 'node-2',
          phase: 'Running',
          podIP: '10.244.2.64',
          conditions: podConditions({ ready: notReady }),
          containers: [
            containerStatus({
              name: 'indexer',
              image: 'ghcr.io/acme/search-indexer:3.0.1',
              restarts: 11,
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=indexer pod=search-indexer-7c9f5d8b6-k4v8p_triage-oom(0f1e2d3c-4b5a-4697-8877-665544332211)',
              },
              last: { reason: 'OOMKilled', exitCode: 137, started: '3m', finished: '2m' },
            }),
          ],
        },
      ],
    }),
    event({
      namespace: 'triage-oom',
      object: { kind: 'Pod', name: 'search-indexer-7c9f5d8b6-k4v8p', fieldPath: 'spec.containers{indexer}' },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container indexer in pod search-indexer-7c9f5d8b6-k4v8p_triage-oom(0f1e2d3c-4b5a-4697-8877-665544332211)',
      count: 35,
      first: '1h',
      last: '1m',
      source: 'kubelet',
      host: 'node-2',
    }),
  ],
  logs: [
    {
      namespace: 'triage-oom',
      pod: 'search-indexer-7c9f5d8b6-k4v8p',
      container: 'indexer',
      previous: heapLines(10),
      current: heapLines(11),
    },
  ],
  subject: { kind: 'Pod', namespace: 'triage-oom', name: 'search-indexer-7c9f5d8b6-k4v8p' },
  verdict: [/OOMKilled/, /memory limit/, /256Mi/],
  facts: [/exit 137/, /11 restarts/, /requests?.*memory 128Mi/],
  question: 'why does search-indexer keep dying in triage-oom?',
};

const livenessProbe: Scenario = {
  rule: 'liveness-probe-failing',
  namespace: 'triage-liveness',
  objects: [
    namespace('triage-liveness'),
    ...deployment({
      namespace: 'triage-liveness',
      name: 'reports-api',
      podSpec: {
        containers: [
          {
            name: 'reports-api',
            image: 'ghcr.io/acme/reports-api:7.2.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            livenessProbe: {
              httpGet: { path: '/healthz', port: 'http' },
              initialDelaySeconds: 10,
              periodSeconds: 10,
              timeoutSeconds: 1,
              failureThreshold: 3,
            },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
          },
        ],
      },
      pods: [
        {
          suffix: 'r7j3x',
          node: 'node-1',
          phase: 'Running',
          podIP: '10.244.1.31',
          conditions: podConditions({ ready: notReady }),
          containers: [
            containerStatus({
              name: 'reports-api',
              image: 'ghcr.io/acme/reports-api:7.2.0',
              restarts: 9,
              running: '25s',
              last: { reason: 'Error', exitCode: 137, started: '1m', finished: '30s' },
            }),
          ],
        },
      ],
    }),
    event({
      namespace: 'triage-liveness',
      object: { kind: 'Pod', name: 'reports-api-7c9f5d8b6-r7j3x', fieldPath: 'spec.containers{reports-api}' },
      reason: 'Unhealthy',
      message:
        'Liveness probe failed: Get "http://10.244.1.31:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      count: 27,
      first: '40m',
      last: '40s',
      source: 'kubelet',
      host: 'node-1',
    }),
    event({
      namespace: 'triage-liveness',
      object: { kind: 'Pod', name: 'reports-api-7c9f5d8b6-r7j3x', fieldPath: 'spec.containers{reports-api}' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: Get "http://10.244.1.31:8080/ready": dial tcp 10.244.1.31:8080: connect: connection refused',
      count: 80,
      first: '40m',
      last: '20s',
      source: 'kubelet',
      host: 'node-1',
    }),
    event({
      namespace: 'triage-liveness',
      object: { kind: 'Pod', name: 'reports-api-7c9f5d8b6-r7j3x', fieldPath: 'spec.containers{reports-api}' },
      type: 'Normal',
      reason: 'Killing',
      message: 'Container reports-api failed liveness probe, will be restarted',
      count: 9,
      first: '40m',
      last: '35s',
      source: 'kubelet',
      host: 'node-1',
    }),
  ],
  logs: [
    {
      namespace: 'triage-liveness',
      pod: 'reports-api-7c9f5d8b6-r7j3x',
      container: 'reports-api',
      previous:
        [
          '2026-01-15 09:28:10,002 INFO  reports-api 7.2.0 starting (JVM 21, heap 768m)',
          '2026-01-15 09:28:14,871 INFO  compiling 412 report templates, this takes about 60 s on 0.5 CPU',
          '2026-01-15 09:28:24,003 INFO  templates compiled: 61/412',
          '2026-01-15 09:28:34,115 INFO  templates compiled: 122/412',
          '2026-01-15 09:28:44,920 INFO  templates compiled: 187/412',
          '2026-01-15 09:28:45,001 INFO  received SIGTERM, shutting down',
        ].join('\n') + '\n',
      current:
        '2026-01-15 09:29:35,010 INFO  reports-api 7.2.0 starting (JVM 21, heap 768m)\n2026-01-15 09:29:39,544 INFO  compiling 412 report templates, this takes about 60 s on 0.5 CPU\n',
    },
  ],
  subject: { kind: 'Deployment', namespace: 'triage-liveness', name: 'reports-api' },
  verdict: [/liveness probe/, /restart/, /before it is ready|still starting|slow/],
  facts: [
    /initialDelaySeconds 10/,
    /timeoutSeconds 1/,
    /failed liveness probe, will be restarted/,
    /9 restarts/,
    /templates compiled: 187\/412/,
  ],
  question: 'reports-api in triage-liveness restarts every minute, why?',
};

const readinessProbe: Scenario = {
  rule: 'readiness-probe-failing',
  namespace: 'triage-readiness',
  objects: [
    namespace('triage-readiness'),
    ...deployment({
      namespace: 'triage-readiness',
      name: 'inventory',
      replicas: 2,
      podSpec: {
        containers: [
          {
            name: 'inventory',
            image: 'ghcr.io/acme/inventory:4.1.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 },
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
      pods: ['b6c2q', 't9w4e'].map((suffix, i) => ({
        suffix,
        node: `node-${i + 1}`,
        phase: 'Running' as const,
        podIP: `10.244.${i + 1}.7${i}`,
        conditions: podConditions({ ready: notReady }),
        containers: [containerStatus({ name: 'inventory', image: 'ghcr.io/acme/inventory:4.1.0', running: '45m' })],
      })),
    }),
    ...['b6c2q', 't9w4e'].map((suffix, i) =>
      event({
        namespace: 'triage-readiness',
        object: { kind: 'Pod', name: `inventory-7c9f5d8b6-${suffix}`, fieldPath: 'spec.containers{inventory}' },
        reason: 'Unhealthy',
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
        count: 530,
        first: '45m',
        last: '5s',
        source: 'kubelet',
        host: `node-${i + 1}`,
      }),
    ),
  ],
  logs: ['b6c2q', 't9w4e'].map((suffix) => ({
    namespace: 'triage-readiness',
    pod: `inventory-7c9f5d8b6-${suffix}`,
    container: 'inventory',
    current:
      [
        'INFO  inventory 4.1.0 listening on :8080',
        'WARN  redis inventory-cache.triage-readiness.svc:6379 unreachable: dial tcp: lookup inventory-cache.triage-readiness.svc on 10.0.0.10:53: no such host',
        'INFO  GET /ready 503 1ms (cache not connected)',
        'INFO  GET /ready 503 0ms (cache not connected)',
        'INFO  GET /ready 503 1ms (cache not connected)',
      ].join('\n') + '\n',
  })),
  subject: { kind: 'Deployment', namespace: 'triage-readiness', name: 'inventory' },
  verdict: [/[Rr]eadiness probe/, /503/],
  facts: [/0\/2 ready/, /\/ready/, /no such host/],
  question: 'inventory in triage-readiness shows 0/2 ready, why?',
};

const initFailing: Scenario = {
  rule: 'init-container-failing',
  namespace: 'triage-init',
  objects: [
    namespace('triage-init'),
    ...deployment({
      namespace: 'triage-init',
      name: 'accounts',
      podSpec: {
        initContainers: [
          {
            name: 'migrate',
            image: 'ghcr.io/acme/accounts-migrations:88',
            command: ['/migrate', 'up'],
            env: [{ name: 'DB_HOST', value: 'accounts-db' }],
          },
        ],
        containers: [{ name: 'accounts', image: 'ghcr.io/acme/accounts:88', ports: [{ containerPort: 8080 }] }],
      },
      pods: [
        {
          suffix: 'm3p8s',
          node: 'node-2',
          phase: 'Pending',
          podIP: '10.244.2.81',
          conditions: podConditions({
            initialized: { reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [migrate]' },
            ready: notReady,
          }),
          initContainers: [
            containerStatus({
              name: 'migrate',
              image: 'ghcr.io/acme/accounts-migrations:88',
              restarts: 8,
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=migrate pod=accounts-7c9f5d8b6-m3p8s_triage-init(99887766-5544-4332-a110-ffeeddccbbaa)',
              },
              last: { reason: 'Error', exitCode: 1, started: '2m', finished: '2m' },
            }),
          ],
          containers: [containerStatus({ name: 'accounts', image: 'ghcr.io/acme/accounts:88', waiting: { reason: 'PodInitializing' } })],
        },
      ],
    }),
    event({
      namespace: 'triage-init',
      object: { kind: 'Pod', name: 'accounts-7c9f5d8b6-m3p8s', fieldPath: 'spec.initContainers{migrate}' },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container migrate in pod accounts-7c9f5d8b6-m3p8s_triage-init(99887766-5544-4332-a110-ffeeddccbbaa)',
      count: 33,
      first: '35m',
      last: '1m',
      source: 'kubelet',
      host: 'node-2',
    }),
  ],
  logs: [
    {
      namespace: 'triage-init',
      pod: 'accounts-7c9f5d8b6-m3p8s',
      container: 'migrate',
      previous:
        [
          'migrate: connecting to postgres://accounts@accounts-db:5432/accounts',
          'migrate: current schema version 87, target 88',
          'migrate: applying 0088_add_user_email_index.up.sql',
          'error: migration 0088 failed: pq: could not create unique index "users_email_key": Key (email)=(ops@acme.io) is duplicated.',
          'migrate: rolled back 0088, database left at version 87',
        ].join('\n') + '\n',
    },
  ],
  subject: { kind: 'Deployment', namespace: 'triage-init', name: 'accounts' },
  verdict: [/[Ii]nit container migrate/, /exits 1/, /could not create unique index/],
  facts: [/Init:CrashLoopBackOff/, /8 restarts/],
  question: 'accounts in triage-init is stuck initializing, why?',
};

export const crashScenarios: Scenario[] = [
  crashAppError,
  crashMissingEnv,
  crashBadCommand,
  oomKilled,
  livenessProbe,
  readinessProbe,
  initFailing,
];
