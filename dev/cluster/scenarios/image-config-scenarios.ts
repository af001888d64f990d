import { configMap, containerStatus, deployment, event, namespace, pod, podConditions, secret, type EventOptions } from './build.ts';
import type { Scenario } from './scenario.ts';

/** Containers that never start: the image cannot be pulled, or the config they reference is missing. */

const notReady = { reason: 'ContainersNotReady', message: 'containers with unready status' };

/** A Deployment whose one pod stays Pending on `node`, its only container waiting for `reason`. */
function stuckDeployment({
  ns,
  name,
  image,
  podSpec,
  pod: { suffix, node, podIP },
  reason,
  message,
}: {
  ns: string;
  name: string;
  image: string;
  podSpec: Record<string, unknown>;
  pod: { suffix: string; node: string; podIP: string };
  reason: string;
  message: string;
}): Scenario['objects'] {
  return deployment({
    namespace: ns,
    name,
    podSpec,
    pods: [
      {
        suffix,
        node,
        phase: 'Pending',
        podIP,
        conditions: podConditions({ ready: notReady }),
        containers: [containerStatus({ name, image, waiting: { reason, message } })],
      },
    ],
  });
}

function imagePullScenario({
  rule,
  ns,
  name,
  image,
  message,
  failed,
  extraSpec = {},
  extraEvents = [],
  verdict,
  facts,
  question,
}: {
  rule: string;
  ns: string;
  name: string;
  image: string;
  message: string;
  failed: string;
  extraSpec?: Record<string, unknown>;
  extraEvents?: Scenario['objects'];
  verdict: RegExp[];
  facts: RegExp[];
  question: string;
}): Scenario {
  const podName = `${name}-7c9f5d8b6-z5x2c`;
  // The kubelet's pull attempts: every 3 minutes for 25, then the back-off it keeps reporting.
  const kubelet = (e: Pick<EventOptions, 'type' | 'reason' | 'message' | 'count' | 'last'>) =>
    event({
      namespace: ns,
      object: { kind: 'Pod', name: podName, fieldPath: `spec.containers{${name}}` },
      count: 8,
      first: '25m',
      last: '3m',
      source: 'kubelet',
      host: 'node-1',
      ...e,
    });
  return {
    rule,
    namespace: ns,
    objects: [
      namespace(ns),
      ...stuckDeployment({
        ns,
        name,
        image,
        podSpec: {
          containers: [{ name, image, ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
          ...extraSpec,
        },
        pod: { suffix: 'z5x2c', node: 'node-1', podIP: '10.244.1.90' },
        reason: 'ImagePullBackOff',
        message,
      }),
      kubelet({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` }),
      kubelet({ reason: 'Failed', message: failed }),
      kubelet({ reason: 'Failed', message: 'Error: ErrImagePull' }),
      kubelet({ type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"`, count: 101, last: '20s' }),
      ...extraEvents,
    ],
    subject: { kind: 'Deployment', namespace: ns, name },
    verdict,
    facts,
    question,
  };
}

const badTag = imagePullScenario({
  rule: 'image-not-found',
  ns: 'triage-image-tag',
  name: 'catalog',
  image: 'ghcr.io/acme/catalog:v2.4.l',
  message:
    'Back-off pulling image "ghcr.io/acme/catalog:v2.4.l": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/catalog:v2.4.l": failed to resolve reference "ghcr.io/acme/catalog:v2.4.l": ghcr.io/acme/catalog:v2.4.l: not found',
  failed:
    'Failed to pull image "ghcr.io/acme/catalog:v2.4.l": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/catalog:v2.4.l": failed to resolve reference "ghcr.io/acme/catalog:v2.4.l": ghcr.io/acme/catalog:v2.4.l: not found',
  verdict: [/ImagePullBackOff/, /ghcr\.io\/acme\/catalog:v2\.4\.l/, /does not exist|not found/],
  facts: [/tag v2\.4\.l/],
  question: 'catalog in triage-image-tag is not starting, why?',
});

// containerd's words for a private registry that wants credentials: longer than 400 characters, the
// decisive "401 Unauthorized" at the very end.
const unauthorizedMessage =
  'Back-off pulling image "registry.acme.io/platform/gateway:1.8.2": ErrImagePull: failed to pull and unpack image "registry.acme.io/platform/gateway:1.8.2": failed to resolve reference "registry.acme.io/platform/gateway:1.8.2": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.acme.io/service/token?scope=repository%3Aplatform%2Fgateway%3Apull&service=harbor-registry: 401 Unauthorized';

const imageAuth = imagePullScenario({
  rule: 'image-pull-unauthorized',
  ns: 'triage-image-auth',
  name: 'gateway',
  image: 'registry.acme.io/platform/gateway:1.8.2',
  message: unauthorizedMessage,
  failed: unauthorizedMessage.replace(
    /^Back-off pulling image "[^"]+": ErrImagePull: /,
    'Failed to pull image "registry.acme.io/platform/gateway:1.8.2": ',
  ),
  extraSpec: { imagePullSecrets: [{ name: 'acme-registry' }] },
  extraEvents: [
    event({
      namespace: 'triage-image-auth',
      object: { kind: 'Pod', name: 'gateway-7c9f5d8b6-z5x2c' },
      reason: 'FailedToRetrieveImagePullSecret',
      message: 'Unable to retrieve some image pull secrets (acme-registry); attempting to pull the image may not succeed.',
      count: 30,
      first: '25m',
      last: '20s',
      source: 'kubelet',
      host: 'node-1',
    }),
  ],
  verdict: [/ImagePullBackOff/, /401 Unauthorized|unauthori[sz]ed/i, /acme-registry/, /does not exist/],
  // Evidence that must survive the output's credential redaction: a pull secret's name is not a credential.
  facts: [/registry\.acme\.io/, /image pull secret acme-registry \(does not exist\)/],
  question: 'why can gateway in triage-image-auth not pull its image?',
});

const imageRateLimit = imagePullScenario({
  rule: 'image-pull-rate-limited',
  ns: 'triage-image-ratelimit',
  name: 'edge-proxy',
  image: 'docker.io/library/nginx:1.27.3',
  message:
    'Back-off pulling image "docker.io/library/nginx:1.27.3": ErrImagePull: failed to pull and unpack image "docker.io/library/nginx:1.27.3": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:6784fb0834aa7dbbe12e3d7471e69c290df3e6ba810dc38b34ae33d3c1c05f7d: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
  failed:
    'Failed to pull image "docker.io/library/nginx:1.27.3": failed to pull and unpack image "docker.io/library/nginx:1.27.3": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:6784fb0834aa7dbbe12e3d7471e69c290df3e6ba810dc38b34ae33d3c1c05f7d: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
  verdict: [/ImagePullBackOff/, /rate limit/, /docker\.io/],
  facts: [/429 Too Many Requests/, /no imagePullSecrets/],
  question: 'edge-proxy in triage-image-ratelimit is stuck in ImagePullBackOff, why?',
});

function configErrorScenario({
  rule,
  ns,
  name,
  message,
  objects = [],
  container,
  verdict,
  facts,
  question,
}: {
  rule: string;
  ns: string;
  name: string;
  message: string;
  objects?: Scenario['objects'];
  container: Record<string, unknown>;
  verdict: RegExp[];
  facts: RegExp[];
  question: string;
}): Scenario {
  const image = `ghcr.io/acme/${name}:1.0.0`;
  const podName = `${name}-7c9f5d8b6-n8d4f`;
  return {
    rule,
    namespace: ns,
    objects: [
      namespace(ns),
      ...objects,
      ...stuckDeployment({
        ns,
        name,
        image,
        podSpec: { containers: [{ name, image, ports: [{ containerPort: 8080 }], ...container }] },
        pod: { suffix: 'n8d4f', node: 'node-2', podIP: '10.244.2.93' },
        reason: 'CreateContainerConfigError',
        message,
      }),
      event({
        namespace: ns,
        object: { kind: 'Pod', name: podName, fieldPath: `spec.containers{${name}}` },
        reason: 'Failed',
        message: `Error: ${message}`,
        count: 96,
        first: '20m',
        last: '15s',
        source: 'kubelet',
        host: 'node-2',
      }),
    ],
    subject: { kind: 'Deployment', namespace: ns, name },
    verdict,
    facts,
    question,
  };
}

const missingConfigMap = configErrorScenario({
  rule: 'config-configmap-missing',
  ns: 'triage-config-cm',
  name: 'storefront',
  message: 'configmap "storefront-config" not found',
  objects: [configMap('triage-config-cm', 'storefront-settings', { THEME: 'winter', CURRENCY: 'EUR' })],
  container: { envFrom: [{ configMapRef: { name: 'storefront-config' } }] },
  verdict: [/CreateContainerConfigError/, /ConfigMap storefront-config/, /does not exist|not found/],
  facts: [/envFrom/, /storefront-settings/],
  question: 'storefront in triage-config-cm will not start, why?',
});

const missingSecret = configErrorScenario({
  rule: 'config-secret-missing',
  ns: 'triage-config-secret',
  name: 'notifier',
  message: 'secret "smtp-credentials" not found',
  container: { env: [{ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp-credentials', key: 'password' } } }] },
  verdict: [/CreateContainerConfigError/, /Secret smtp-credentials/, /does not exist|not found/],
  facts: [/SMTP_PASSWORD/],
  question: 'why is notifier in triage-config-secret stuck?',
});

const missingKey = configErrorScenario({
  rule: 'config-key-missing',
  ns: 'triage-config-key',
  name: 'ledger-api',
  message: "couldn't find key DB_PASSWORD in Secret triage-config-key/db-credentials",
  objects: [secret('triage-config-key', 'db-credentials', { username: 'ledger', password: 'p4ss-ledger-7d2e' })],
  container: {
    env: [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'DB_PASSWORD' } } },
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'username' } } },
    ],
  },
  verdict: [/CreateContainerConfigError/, /key DB_PASSWORD/, /db-credentials/],
  facts: [
    /keys?:? password, username|has keys password, username/,
    /env DB_PASSWORD of container ledger-api \(key DB_PASSWORD\) uses Secret db-credentials/,
  ],
  question: 'ledger-api in triage-config-key fails to start, why?',
});

const volumePodName = 'api-7c9f5d8b6-v2b9k';
const missingVolume: Scenario = {
  rule: 'volume-mount-failed',
  namespace: 'triage-volume',
  objects: [
    namespace('triage-volume'),
    secret(
      'triage-volume',
      'api-tls-2025',
      { 'tls.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'tls.key': 'not-a-real-key' },
      'kubernetes.io/tls',
    ),
    pod({
      namespace: 'triage-volume',
      name: volumePodName,
      labels: { app: 'api' },
      podSpec: {
        containers: [
          { name: 'api', image: 'ghcr.io/acme/api:12.0.0', volumeMounts: [{ name: 'tls', mountPath: '/etc/tls', readOnly: true }] },
        ],
        volumes: [{ name: 'tls', secret: { secretName: 'api-tls' } }],
      },
      seed: {
        suffix: '',
        node: 'node-1',
        phase: 'Pending',
        podIP: '10.244.1.95',
        conditions: podConditions({ ready: notReady }),
        containers: [containerStatus({ name: 'api', image: 'ghcr.io/acme/api:12.0.0', waiting: { reason: 'ContainerCreating' } })],
      },
    }),
    event({
      namespace: 'triage-volume',
      object: { kind: 'Pod', name: volumePodName },
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed for volume "tls" : secret "api-tls" not found',
      count: 18,
      first: '35m',
      last: '2m',
      source: 'kubelet',
      host: 'node-1',
    }),
  ],
  subject: { kind: 'Pod', namespace: 'triage-volume', name: volumePodName },
  verdict: [/ContainerCreating|cannot mount/, /volume tls/, /Secret api-tls/, /does not exist/],
  facts: [/FailedMount/, /api-tls-2025/],
  question: `pod ${volumePodName} in triage-volume is stuck in ContainerCreating, why?`,
};

export const imageConfigScenarios: Scenario[] = [
  badTag,
  imageAuth,
  imageRateLimit,
  missingConfigMap,
  missingSecret,
  missingKey,
  missingVolume,
];
