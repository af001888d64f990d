import type { V1Pod } from '@kubernetes/client-node';
import type { Evidence } from '../evidence.ts';
import type { KubeObject } from '../kube-object.ts';
import { containersOf, eventFact, eventsWith, podName, podRef, type ContainerView } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

type ConfigKind = 'ConfigMap' | 'Secret';

/** Where a pod uses a ConfigMap or Secret: "envFrom of container web", "env DB_PASSWORD (key password)", "volume tls". */
export function usesOf(pod: V1Pod, kind: ConfigKind, name: string): string[] {
  const uses: string[] = [];
  for (const c of containersOf(pod)) {
    for (const e of c.spec.env ?? []) {
      const ref = kind === 'ConfigMap' ? e.valueFrom?.configMapKeyRef : e.valueFrom?.secretKeyRef;
      if (ref?.name === name) uses.push(`env ${e.name} of container ${c.spec.name} (key ${ref.key})`);
    }
    for (const from of c.spec.envFrom ?? []) {
      const ref = kind === 'ConfigMap' ? from.configMapRef : from.secretRef;
      if (ref?.name === name) uses.push(`envFrom of container ${c.spec.name}`);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    const direct = kind === 'ConfigMap' ? v.configMap?.name : v.secret?.secretName;
    const projected = (v.projected?.sources ?? []).some((s) => (kind === 'ConfigMap' ? s.configMap?.name : s.secret?.name) === name);
    if (direct === name || projected) uses.push(`volume ${v.name}`);
  }
  for (const s of pod.spec?.imagePullSecrets ?? []) if (kind === 'Secret' && s.name === name) uses.push('imagePullSecrets');
  return uses;
}

/** "ConfigMaps in shop: a, b" from the names listed after a reference was found missing. */
function namesThere(ev: Evidence, kind: ConfigKind, namespace: string): string | undefined {
  const listed = ev.listed<KubeObject>(kind === 'ConfigMap' ? 'configMapNames' : 'secretNames');
  if (listed === undefined) return undefined;
  const names = listed.filter((o) => o.metadata?.namespace === namespace).map((o) => o.metadata?.name ?? '');
  return `${kind}s that exist in ${namespace} — ${names.length === 0 ? 'none' : names.slice(0, 12).join(', ')}`;
}

/** The container the kubelet cannot create for a config reason, with the kubelet's whole message. */
function configErrors(ev: Evidence): { pod: V1Pod; container: ContainerView; message: string }[] {
  return ev.examined.flatMap((pod) =>
    containersOf(pod).flatMap((container) => {
      const waiting = container.status?.state?.waiting;
      return waiting?.reason === 'CreateContainerConfigError' ? [{ pod, container, message: waiting.message ?? '' }] : [];
    }),
  );
}

function existence(ev: Evidence, ref: { kind: ConfigKind; namespace: string; name: string }): string {
  const state = ev.lookup(ref);
  if (state === 'missing') return 'does not exist';
  if (state === 'unreadable') return `could not be checked (${ev.whyUnreadable(ref) ?? 'not readable'}); the kubelet reports it not found`;
  return 'is not found by the kubelet';
}

function missingObjectRule(kind: ConfigKind): DiagnosisRule {
  const word = kind === 'ConfigMap' ? 'configmap' : 'secret';
  return {
    id: kind === 'ConfigMap' ? 'config-configmap-missing' : 'config-secret-missing',
    failureClass: `CreateContainerConfigError: missing ${kind}`,
    needs: [kind === 'ConfigMap' ? 'configmaps' : 'secrets'],
    detect(ev) {
      return configErrors(ev).flatMap(({ pod, container, message }): Finding[] => {
        const name = new RegExp(`^${word} "([^"]+)" not found`).exec(message)?.[1];
        if (name === undefined) return [];
        const namespace = pod.metadata?.namespace ?? '';
        const ref = { kind, namespace, name };
        if (ev.lookup(ref) === 'found') return [];
        const there = namesThere(ev, kind, namespace);
        const uses = usesOf(pod, kind, name);
        return [
          {
            rule: this.id,
            about: podRef(pod),
            cause: `CreateContainerConfigError: container ${container.spec.name} of pod ${podName(pod)} cannot start: ${kind} ${name} ${existence(ev, ref)}${uses.length > 0 ? ` (used by ${uses.join(', ')})` : ''}`,
            facts: [
              `container ${container.spec.name} waits in CreateContainerConfigError: ${message}`,
              ...(there === undefined ? [] : [there]),
              ...eventsWith(ev, podRef(pod), ['Failed'])
                .slice(0, 1)
                .map((e) => eventFact(e, ev.now)),
            ],
            fix: `create ${kind} ${name} in ${namespace}, or point the pod at the right name${kind === 'Secret' ? '' : ' (or mark the reference optional)'}`,
          },
        ];
      });
    },
  };
}

export const configMapMissing = missingObjectRule('ConfigMap');
export const secretMissing = missingObjectRule('Secret');

/** The object exists but lacks the key a container's env takes from it. */
export const configKeyMissing: DiagnosisRule = {
  id: 'config-key-missing',
  failureClass: 'CreateContainerConfigError: missing key in a ConfigMap or Secret',
  needs: ['configmaps', 'secrets'],
  detect(ev) {
    return configErrors(ev).flatMap(({ pod, container, message }): Finding[] => {
      const match = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/.exec(message);
      if (match === null) return [];
      const [, key = '', kind = 'Secret', namespace = '', name = ''] = match;
      const record = ev.config({ kind, namespace, name });
      const keys =
        record?.keys === undefined
          ? ev.lookup({ kind, namespace, name }) === 'unreadable'
            ? 'its keys could not be read'
            : undefined
          : `its keys: ${record.keys.join(', ') || 'none'}`;
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `CreateContainerConfigError: container ${container.spec.name} of pod ${podName(pod)} cannot start: key ${key} is not in ${kind} ${name}${keys === undefined ? '' : ` (${keys})`}`,
          facts: [
            `container ${container.spec.name} waits in CreateContainerConfigError: ${message}`,
            ...usesOf(pod, kind as ConfigKind, name).map((u) => `${u} uses ${kind} ${name}`),
          ],
          fix: `add key ${key} to ${kind} ${name}, or reference the key that holds the value`,
        },
      ];
    });
  },
};

/** A volume the kubelet cannot mount (a missing Secret or ConfigMap, most often): ContainerCreating forever. */
export const volumeMountFailed: DiagnosisRule = {
  id: 'volume-mount-failed',
  failureClass: 'ContainerCreating: volume cannot be mounted',
  needs: ['events'],
  detect(ev) {
    return ev.examined.flatMap((pod): Finding[] => {
      const mountEvents = eventsWith(ev, podRef(pod), ['FailedMount', 'FailedAttachVolume']);
      const latest = mountEvents[0];
      if (latest === undefined || pod.status?.phase !== 'Pending') return [];
      const volume = /for volume "([^"]+)"/.exec(latest.message)?.[1];
      const object = /(secret|configmap) "([^"]+)" not found/i.exec(latest.message);
      const namespace = pod.metadata?.namespace ?? '';
      const kind: ConfigKind | undefined = object === null ? undefined : object[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
      const name = object?.[2] ?? '';
      const there = kind === undefined ? undefined : namesThere(ev, kind, namespace);
      const why = kind === undefined ? latest.message.slice(0, 300) : `${kind} ${name} ${existence(ev, { kind, namespace, name })}`;
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `pod ${podName(pod)} is stuck in ContainerCreating: it cannot mount volume ${volume ?? '?'} because ${why}`,
          facts: [eventFact(latest, ev.now), ...(there === undefined ? [] : [there])],
          fix:
            kind === undefined
              ? 'fix what the mount event names (the volume, its claim, the CSI driver)'
              : `create ${kind} ${name} or point volume ${volume ?? ''} at an existing one`,
        },
      ];
    });
  },
};

export const configRules: DiagnosisRule[] = [volumeMountFailed, configKeyMissing, configMapMissing, secretMissing];
