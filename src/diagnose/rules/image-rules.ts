import type { V1Pod } from '@kubernetes/client-node';
import type { Evidence } from '../evidence.ts';
import { quoteLine } from '../kube-object.ts';
import { containersOf, eventFact, eventsWith, podName, podRef, type ContainerView } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

const PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);

interface PullFailure {
  pod: V1Pod;
  container: ContainerView;
  reason: string;
  /** The kubelet's waiting message and the Failed events' messages, whole: the decisive words are often at the end. */
  text: string;
  image: string;
}

function pullFailures(ev: Evidence): PullFailure[] {
  return ev.examined.flatMap((pod) =>
    containersOf(pod).flatMap((container) => {
      const waiting = container.status?.state?.waiting;
      if (waiting?.reason === undefined || !PULL_REASONS.has(waiting.reason)) return [];
      const events = eventsWith(ev, podRef(pod), ['Failed']).filter((e) => /pull|image/i.test(e.message));
      const text = [waiting.message ?? '', ...events.map((e) => e.message)].join('\n');
      return [{ pod, container, reason: waiting.reason, text, image: container.spec.image ?? container.status?.image ?? '' }];
    }),
  );
}

/** The registry host of an image reference ("docker.io" for bare names, as the runtime resolves them). */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

function pullSecretsText(ev: Evidence, pod: V1Pod): { text: string; missing: string[] } {
  const namespace = pod.metadata?.namespace ?? '';
  const names = (pod.spec?.imagePullSecrets ?? []).flatMap((s) => (s.name ? [s.name] : []));
  if (names.length === 0) return { text: 'the pod has no imagePullSecrets: pulls are anonymous', missing: [] };
  const missing = names.filter((name) => ev.lookup({ kind: 'Secret', namespace, name }) === 'missing');
  const described = names.map((name) => {
    const state = ev.lookup({ kind: 'Secret', namespace, name });
    return `${name} (${state === 'found' ? 'exists' : state === 'missing' ? 'does not exist' : 'not checked'})`;
  });
  return { text: `the pod names image pull secret${names.length === 1 ? '' : 's'} ${described.join(', ')}`, missing };
}

function pullFacts(ev: Evidence, f: PullFailure, extra: string[] = []): string[] {
  return [
    `container ${f.container.spec.name} waits in ${f.reason}: ${quoteLine(f.container.status?.state?.waiting?.message ?? '', 700)}`,
    ...extra,
    ...eventsWith(ev, podRef(f.pod), ['Failed', 'FailedToRetrieveImagePullSecret'])
      .slice(0, 2)
      .map((e) => eventFact(e, ev.now)),
  ];
}

/** The registry refuses the credentials (or their absence). */
export const imagePullUnauthorized: DiagnosisRule = {
  id: 'image-pull-unauthorized',
  failureClass: 'ImagePullBackOff: registry authentication',
  needs: ['events', 'secrets'],
  detect(ev) {
    return pullFailures(ev).flatMap((f): Finding[] => {
      const answer =
        /\b(401 Unauthorized|403 Forbidden|unauthorized|authentication required|pull access denied|denied: requested access)/i.exec(
          f.text,
        )?.[1];
      if (answer === undefined) return [];
      const secrets = pullSecretsText(ev, f.pod);
      const why =
        secrets.missing.length > 0
          ? `, and its imagePullSecret ${secrets.missing.join(', ')} does not exist in ${f.pod.metadata?.namespace ?? ''}`
          : (f.pod.spec?.imagePullSecrets ?? []).length === 0
            ? ' and the pod has no imagePullSecrets'
            : ': the imagePullSecrets it has are rejected';
      return [
        {
          rule: this.id,
          about: podRef(f.pod),
          cause: `ImagePullBackOff: container ${f.container.spec.name} cannot pull image ${f.image}: the registry ${registryOf(f.image)} answered ${answer}${why}`,
          facts: pullFacts(ev, f, [secrets.text]),
          fix:
            secrets.missing.length > 0
              ? `create Secret ${secrets.missing[0] ?? ''} (type kubernetes.io/dockerconfigjson) with credentials for ${registryOf(f.image)}`
              : `give the pod (or its service account) an imagePullSecret with valid credentials for ${registryOf(f.image)}`,
        },
      ];
    });
  },
};

/** The registry throttles pulls (Docker Hub's anonymous limit is the usual one). */
export const imagePullRateLimited: DiagnosisRule = {
  id: 'image-pull-rate-limited',
  failureClass: 'ImagePullBackOff: registry rate limit',
  needs: ['events'],
  detect(ev) {
    return pullFailures(ev).flatMap((f): Finding[] => {
      if (!/429 Too Many Requests|toomanyrequests|rate limit/i.test(f.text)) return [];
      const secrets = pullSecretsText(ev, f.pod);
      return [
        {
          rule: this.id,
          about: podRef(f.pod),
          cause: `ImagePullBackOff: container ${f.container.spec.name} cannot pull image ${f.image}: the registry ${registryOf(f.image)} refuses more pulls: rate limit reached (429 Too Many Requests)${(f.pod.spec?.imagePullSecrets ?? []).length === 0 ? ' for anonymous pulls' : ''}`,
          facts: pullFacts(ev, f, [secrets.text]),
          fix: `pull with an authenticated account (an imagePullSecret), or mirror the image to a registry you control; the pull is retried with back-off meanwhile`,
        },
      ];
    });
  },
};

/** The image or its tag does not exist. */
export const imageNotFound: DiagnosisRule = {
  id: 'image-not-found',
  failureClass: 'ImagePullBackOff: image or tag not found',
  needs: ['events'],
  detect(ev) {
    return pullFailures(ev).flatMap((f): Finding[] => {
      if (!/\bnot found\b|manifest unknown|NotFound|does not exist|no such image|name unknown/i.test(f.text)) return [];
      const colon = f.image.lastIndexOf(':');
      const tagged = colon > f.image.lastIndexOf('/') ? { repository: f.image.slice(0, colon), tag: f.image.slice(colon + 1) } : undefined;
      return [
        {
          rule: this.id,
          about: podRef(f.pod),
          cause: `${f.reason}: container ${f.container.spec.name} cannot pull image ${f.image} (the image or tag does not exist)`,
          facts: pullFacts(
            ev,
            f,
            tagged === undefined ? [] : [`image ${tagged.repository}, tag ${tagged.tag}: the registry has no such manifest`],
          ),
          fix: 'fix the image reference (tag typo, or push the image first); `kubectl set image` or a corrected manifest',
        },
      ];
    });
  },
};

/** Any other pull failure, with the runtime's words. */
export const imagePullFailed: DiagnosisRule = {
  id: 'image-pull-failed',
  failureClass: 'ImagePullBackOff: other pull errors',
  needs: [],
  fallback: true,
  detect(ev) {
    return pullFailures(ev).map((f) => ({
      rule: this.id,
      about: podRef(f.pod),
      cause: `${f.reason}: container ${f.container.spec.name} of pod ${podName(f.pod)} cannot pull image ${f.image}: ${quoteLine(f.text.split('\n')[0] ?? '', 300)}`,
      facts: pullFacts(ev, f),
    }));
  },
};

export const imageRules: DiagnosisRule[] = [imagePullUnauthorized, imagePullRateLimited, imageNotFound];
