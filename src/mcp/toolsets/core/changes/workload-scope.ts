import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { ChangeSnapshot } from './read-change-snapshot.ts';
import { nameOf, type RawObject, type RawWorkload } from './raw-objects.ts';

export const SCOPED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type ScopedKind = (typeof SCOPED_KINDS)[number];

/** What "around one workload" takes in: the workload, the ConfigMaps and Secrets it uses, its autoscalers and its Helm release. */
export interface WorkloadScope {
  kind: ScopedKind;
  name: string;
  workload: RawWorkload;
  configMaps: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
  autoscalers: ReadonlySet<string>;
  helmRelease: string | undefined;
}

const RELEASE_NAME = 'meta.helm.sh/release-name';

/** The scope of one workload of the snapshot; undefined when the snapshot has no such workload. */
export function workloadScope(snapshot: ChangeSnapshot, { kind, name }: { kind: ScopedKind; name: string }): WorkloadScope | undefined {
  const workloads = kind === 'Deployment' ? snapshot.deployments : kind === 'StatefulSet' ? snapshot.statefulSets : snapshot.daemonSets;
  const workload = workloads.find((w) => nameOf(w) === name);
  if (workload === undefined) return undefined;
  const { configMaps, secrets } = templateReferences(workload.spec?.template);
  const autoscalers = new Set(
    snapshot.horizontalPodAutoscalers
      .filter((hpa) => hpa.spec?.scaleTargetRef?.kind === kind && hpa.spec.scaleTargetRef.name === name)
      .map(nameOf),
  );
  return { kind, name, workload, configMaps, secrets, autoscalers, helmRelease: workload.metadata?.annotations?.[RELEASE_NAME] };
}

/** Whether an object belongs to the scope (no scope: everything does). */
export function inScope(scope: WorkloadScope | undefined, kind: string, object: RawObject): boolean {
  if (scope === undefined) return true;
  const name = nameOf(object);
  switch (kind) {
    case 'ConfigMap':
      return scope.configMaps.has(name);
    case 'Secret':
      return scope.secrets.has(name);
    case 'HorizontalPodAutoscaler':
      return scope.autoscalers.has(name);
    default:
      return kind === scope.kind && name === scope.name;
  }
}

/** The ConfigMaps and Secrets a pod template reads: env, envFrom, volumes (projected too), image pull secrets. */
export function templateReferences(template: V1PodTemplateSpec | undefined): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: string | undefined) => {
    if (name !== undefined && name !== '') set.add(name);
  };
  const spec = template?.spec;
  for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const variable of container.env ?? []) {
      add(configMaps, variable.valueFrom?.configMapKeyRef?.name);
      add(secrets, variable.valueFrom?.secretKeyRef?.name);
    }
    for (const source of container.envFrom ?? []) {
      add(configMaps, source.configMapRef?.name);
      add(secrets, source.secretRef?.name);
    }
  }
  for (const volume of spec?.volumes ?? []) {
    add(configMaps, volume.configMap?.name);
    add(secrets, volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) {
      add(configMaps, source.configMap?.name);
      add(secrets, source.secret?.name);
    }
  }
  for (const reference of spec?.imagePullSecrets ?? []) add(secrets, reference.name);
  return { configMaps, secrets };
}
