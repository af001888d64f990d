import {
  ago,
  containerStatus,
  deployment,
  endpointSlice,
  event,
  namespace,
  podConditions,
  secret,
  service,
  type Obj,
  type PodSeed,
} from './build.ts';
import type { Scenario } from './scenario.ts';

/** Traffic that goes nowhere: Services, Ingresses, NetworkPolicies; and an autoscaler that cannot see load. */

const readyPod = (suffix: string, nodeIndex: number, container: string, image: string): PodSeed => ({
  suffix,
  node: `node-${nodeIndex}`,
  phase: 'Running',
  podIP: `10.244.${nodeIndex}.${100 + (suffix.charCodeAt(0) % 100)}`,
  conditions: podConditions({ since: '2h' }),
  containers: [containerStatus({ name: container, image, ready: true, running: '2h' })],
});

/** A Deployment with two ready pods, its Service and EndpointSlice, the way they look when all is well. */
function servedApp({
  ns,
  name,
  port = 8080,
  servicePort = 80,
  targetPort = port,
  selector,
  podLabels = { app: name },
  sliceReady = true,
  endpointPods,
}: {
  ns: string;
  name: string;
  port?: number;
  servicePort?: number;
  targetPort?: number | string;
  selector?: Record<string, string>;
  podLabels?: Record<string, string>;
  sliceReady?: boolean;
  /** Pods the EndpointSlice lists (default: both). */
  endpointPods?: number;
}): Obj[] {
  const image = `ghcr.io/acme/${name}:1.0.0`;
  const pods = [readyPod('a1b2c', 1, name, image), readyPod('d3e4f', 2, name, image)];
  const objects = deployment({
    namespace: ns,
    name,
    replicas: 2,
    labels: podLabels,
    podSpec: { containers: [{ name, image, ports: [{ name: 'http', containerPort: port }], readinessProbe: { tcpSocket: { port } } }] },
    pods,
  });
  const podNames = pods.map((p) => `${name}-7c9f5d8b6-${p.suffix}`);
  const ips = pods.map((p) => p.podIP ?? '');
  return [
    ...objects,
    service({
      namespace: ns,
      name,
      selector: selector ?? podLabels,
      ports: [{ name: 'http', port: servicePort, targetPort, protocol: 'TCP' }],
    }),
    endpointSlice({
      namespace: ns,
      service: name,
      ports: [{ name: 'http', port: typeof targetPort === 'number' ? targetPort : port, protocol: 'TCP' }],
      endpoints: podNames
        .slice(0, endpointPods ?? 2)
        .map((pod, i) => ({ pod, ip: ips[i] ?? '', node: `node-${i + 1}`, ready: sliceReady })),
    }),
  ];
}

const selectorMismatch: Scenario = {
  rule: 'service-selector-no-match',
  namespace: 'triage-svc-selector',
  objects: [
    namespace('triage-svc-selector'),
    ...servedApp({
      ns: 'triage-svc-selector',
      name: 'api',
      podLabels: { app: 'api', tier: 'server' },
      selector: { app: 'api', tier: 'backend' },
      endpointPods: 0,
    }),
  ],
  subject: { kind: 'Service', namespace: 'triage-svc-selector', name: 'api' },
  verdict: [/selector/, /app=api,tier=backend/, /matches no pods/],
  facts: [/tier=server/, /api-7c9f5d8b6-a1b2c/, /0 endpoints/],
  question: 'requests to the api service in triage-svc-selector fail with no endpoints, why?',
};

const wrongTargetPort: Scenario = {
  rule: 'service-target-port-mismatch',
  namespace: 'triage-svc-port',
  objects: [namespace('triage-svc-port'), ...servedApp({ ns: 'triage-svc-port', name: 'web', port: 80, targetPort: 8080 })],
  logs: [
    {
      namespace: 'triage-svc-port',
      pod: 'web-7c9f5d8b6-a1b2c',
      container: 'web',
      current: '10.244.1.5 - - [15/Jan/2026:09:12:01 +0000] "GET / HTTP/1.1" 200 615\n',
    },
  ],
  subject: { kind: 'Service', namespace: 'triage-svc-port', name: 'web' },
  verdict: [/targetPort 8080/, /containerPort|listen/, /80/],
  facts: [/web-7c9f5d8b6-a1b2c/, /port 80/],
  question: 'the web service in triage-svc-port times out although its pods are ready, why?',
};

const backendImage = 'ghcr.io/acme/payments:6.2.0';
const backendLog =
  [
    '2026-01-15T09:29:00.101Z INFO  payments 6.2.0 starting',
    '2026-01-15T09:29:00.344Z INFO  connecting to postgres at payments-db.triage-svc-backends.svc:5432 as "payments"',
    '2026-01-15T09:29:00.371Z ERROR pq: password authentication failed for user "payments"',
    '2026-01-15T09:29:00.372Z INFO  retrying in 1s (attempt 2/3)',
    '2026-01-15T09:29:01.390Z ERROR pq: password authentication failed for user "payments"',
    '2026-01-15T09:29:01.391Z INFO  retrying in 1s (attempt 3/3)',
    '2026-01-15T09:29:02.410Z ERROR pq: password authentication failed for user "payments"',
    '2026-01-15T09:29:02.411Z INFO  shutting down: could not reach the database after 3 attempts',
  ].join('\n') + '\n';
const crashingBackend = (suffix: string, nodeIndex: number): PodSeed => ({
  suffix,
  node: `node-${nodeIndex}`,
  phase: 'Running',
  podIP: `10.244.${nodeIndex}.16${nodeIndex}`,
  conditions: podConditions({ ready: { reason: 'ContainersNotReady', message: 'containers with unready status: [payments]' } }),
  containers: [
    containerStatus({
      name: 'payments',
      image: backendImage,
      restarts: 7,
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=payments pod=payments-7c9f5d8b6-${suffix}_triage-svc-backends`,
      },
      last: { reason: 'Error', exitCode: 1 },
    }),
  ],
});
const noReadyBackends: Scenario = {
  rule: 'service-no-ready-endpoints',
  namespace: 'triage-svc-backends',
  objects: [
    namespace('triage-svc-backends'),
    ...deployment({
      namespace: 'triage-svc-backends',
      name: 'payments',
      replicas: 2,
      podSpec: { containers: [{ name: 'payments', image: backendImage, ports: [{ name: 'http', containerPort: 8080 }] }] },
      pods: [crashingBackend('k2l5m', 1), crashingBackend('x7y8z', 2)],
    }),
    service({
      namespace: 'triage-svc-backends',
      name: 'payments',
      selector: { app: 'payments' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    }),
    endpointSlice({
      namespace: 'triage-svc-backends',
      service: 'payments',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { pod: 'payments-7c9f5d8b6-k2l5m', ip: '10.244.1.161', node: 'node-1', ready: false },
        { pod: 'payments-7c9f5d8b6-x7y8z', ip: '10.244.2.162', node: 'node-2', ready: false },
      ],
    }),
  ],
  logs: ['k2l5m', 'x7y8z'].map((suffix) => ({
    namespace: 'triage-svc-backends',
    pod: `payments-7c9f5d8b6-${suffix}`,
    container: 'payments',
    previous: backendLog,
  })),
  subject: { kind: 'Service', namespace: 'triage-svc-backends', name: 'payments' },
  verdict: [/no ready endpoints/, /CrashLoopBackOff/, /password authentication failed/],
  facts: [/0 of 2|0\/2/, /payments-7c9f5d8b6-k2l5m/],
  question: 'the payments service in triage-svc-backends returns 503, why?',
};

const networkPolicy: Scenario = {
  rule: 'networkpolicy-blocks-ingress',
  namespace: 'triage-netpol',
  objects: [
    namespace('triage-netpol'),
    ...servedApp({ ns: 'triage-netpol', name: 'inventory-api' }),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: 'triage-netpol' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-admin-metrics', namespace: 'triage-netpol' },
      spec: {
        podSelector: { matchLabels: { app: 'inventory-api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'admin' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }],
      },
    },
  ],
  subject: { kind: 'Service', namespace: 'triage-netpol', name: 'inventory-api' },
  verdict: [/NetworkPolic/, /8080/, /inventory-api/],
  facts: [/default-deny-ingress/, /allow-admin-metrics/, /role=admin/, /9090/],
  question: 'other services time out calling inventory-api in triage-netpol, but its pods are healthy. Why?',
};

function ingress({
  ns,
  name,
  host,
  serviceName,
  port = 80,
  className = 'nginx',
  tlsSecret,
}: {
  ns: string;
  name: string;
  host: string;
  serviceName: string;
  port?: number;
  className?: string;
  tlsSecret?: string;
}): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns },
    spec: {
      ingressClassName: className,
      ...(tlsSecret === undefined ? {} : { tls: [{ hosts: [host], secretName: tlsSecret }] }),
      rules: [
        { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: port } } } }] } },
      ],
    },
  };
}

const ingressBackend: Scenario = {
  rule: 'ingress-backend-missing',
  namespace: 'triage-ingress',
  objects: [
    namespace('triage-ingress'),
    ...servedApp({ ns: 'triage-ingress', name: 'store-front' }),
    ingress({ ns: 'triage-ingress', name: 'shop', host: 'shop.example.com', serviceName: 'storefront' }),
    event({
      namespace: 'triage-ingress',
      object: { kind: 'Ingress', name: 'shop', apiVersion: 'networking.k8s.io/v1' },
      type: 'Normal',
      reason: 'Sync',
      message: 'Scheduled for sync',
      count: 3,
      first: '2h',
      last: '20m',
      source: 'nginx-ingress-controller',
    }),
  ],
  subject: { kind: 'Ingress', namespace: 'triage-ingress', name: 'shop' },
  verdict: [/Service storefront/, /does not exist/, /shop\.example\.com/],
  facts: [/store-front/],
  question: 'shop.example.com (ingress shop in triage-ingress) returns 503, why?',
};

const ingressTls: Scenario = {
  rule: 'ingress-tls-secret-missing',
  namespace: 'triage-ingress-tls',
  objects: [
    namespace('triage-ingress-tls'),
    ...servedApp({ ns: 'triage-ingress-tls', name: 'docs' }),
    secret('triage-ingress-tls', 'docs-tls-old', { 'tls.crt': 'not-a-real-cert', 'tls.key': 'not-a-real-key' }, 'kubernetes.io/tls'),
    ingress({ ns: 'triage-ingress-tls', name: 'docs', host: 'docs.example.com', serviceName: 'docs', tlsSecret: 'docs-tls' }),
    event({
      namespace: 'triage-ingress-tls',
      object: { kind: 'Ingress', name: 'docs', apiVersion: 'networking.k8s.io/v1' },
      reason: 'BadConfig',
      message:
        'Error getting SSL certificate "triage-ingress-tls/docs-tls": local SSL certificate triage-ingress-tls/docs-tls was not found',
      count: 4,
      first: '1h',
      last: '10m',
      source: 'nginx-ingress-controller',
    }),
  ],
  subject: { kind: 'Ingress', namespace: 'triage-ingress-tls', name: 'docs' },
  verdict: [/TLS/, /Secret docs-tls/, /does not exist/],
  facts: [/docs\.example\.com/, /docs-tls-old/],
  question: 'https://docs.example.com serves the default certificate, ingress docs in triage-ingress-tls. Why?',
};

const ingressClass: Scenario = {
  rule: 'ingress-class-missing',
  namespace: 'triage-ingress-class',
  objects: [
    namespace('triage-ingress-class'),
    ...servedApp({ ns: 'triage-ingress-class', name: 'status-page' }),
    ingress({
      ns: 'triage-ingress-class',
      name: 'status',
      host: 'status.example.com',
      serviceName: 'status-page',
      className: 'nginx-internal',
    }),
  ],
  subject: { kind: 'Ingress', namespace: 'triage-ingress-class', name: 'status' },
  verdict: [/IngressClass nginx-internal/, /does not exist/],
  facts: [/nginx\b/, /no address/],
  question: 'status.example.com does not resolve to anything, ingress status in triage-ingress-class. Why?',
};

const hpaMessage =
  'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
const hpa: Scenario = {
  rule: 'hpa-metrics-unavailable',
  namespace: 'triage-hpa',
  objects: [
    namespace('triage-hpa'),
    ...servedApp({ ns: 'triage-hpa', name: 'checkout-api' }),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'checkout-api', namespace: 'triage-hpa' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-api' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
      status: {
        currentReplicas: 2,
        desiredReplicas: 2,
        currentMetrics: null,
        conditions: [
          {
            type: 'AbleToScale',
            status: 'True',
            reason: 'SucceededGetScale',
            message: "the HPA controller was able to get the target's current scale",
            lastTransitionTime: ago('2h'),
          },
          { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: hpaMessage, lastTransitionTime: ago('2h') },
        ],
      },
    },
    event({
      namespace: 'triage-hpa',
      object: { kind: 'HorizontalPodAutoscaler', name: 'checkout-api' },
      reason: 'FailedGetResourceMetric',
      message:
        'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
      count: 480,
      first: '2h',
      last: '15s',
      source: 'horizontal-pod-autoscaler',
    }),
    event({
      namespace: 'triage-hpa',
      object: { kind: 'HorizontalPodAutoscaler', name: 'checkout-api' },
      reason: 'FailedComputeMetricsReplicas',
      message:
        'invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
      count: 480,
      first: '2h',
      last: '15s',
      source: 'horizontal-pod-autoscaler',
    }),
  ],
  subject: { kind: 'HorizontalPodAutoscaler', namespace: 'triage-hpa', name: 'checkout-api' },
  verdict: [/cannot read|unable to get|no metrics/, /metrics\.k8s\.io/, /metrics-server/],
  facts: [/FailedGetResourceMetric/, /ScalingActive=False/, /no cpu request/, /2\/2/],
  question: 'checkout-api in triage-hpa never scales up under load, why?',
};

export const networkScenarios: Scenario[] = [
  selectorMismatch,
  wrongTargetPort,
  noReadyBackends,
  networkPolicy,
  ingressBackend,
  ingressTls,
  ingressClass,
  hpa,
];
