import type { V1Pod } from '@kubernetes/client-node';
import { refKey, type KubeObject, type ObjectRef } from './kube-object.ts';

/**
 * What a rule may need read from the cluster. The walk records a gap per kind it could not read
 * (forbidden, denied by policy); a rule that needs it is then reported as not checked instead of
 * silently finding nothing.
 */
export type EvidenceKind =
  | 'pods'
  | 'nodes'
  | 'events'
  | 'logs'
  | 'configmaps'
  | 'secrets'
  | 'storage'
  | 'services'
  | 'endpointslices'
  | 'networkpolicies'
  | 'ingresses'
  | 'quotas'
  | 'disruptionbudgets'
  | 'workloads'
  | 'autoscalers'
  | 'metrics';

/** An event about one of the objects involved, Normal or Warning. */
export interface EventRecord {
  namespace: string;
  object: ObjectRef;
  type: string;
  reason: string;
  /** The component's words, whole (up to 2,000 characters): untrusted cluster text. */
  message: string;
  count: number;
  /** Milliseconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
}

/** The log of one container, read to find the line that explains how it ended. */
export interface LogRecord {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** Non-empty lines, oldest first (the tail the API returned). */
  lines: string[];
  /** Index in `lines` of the decisive line: the error that ended it, else undefined. */
  decisive?: number;
  /** Why there is no log (not started, unreadable). */
  note?: string;
}

/** Lists the walk read whole, by what they are for; a list never read is `undefined`, not empty. */
export type ListName =
  | 'nodes'
  | 'namespacePods'
  | 'replicaSets'
  | 'jobs'
  | 'endpointSlices'
  | 'networkPolicies'
  | 'storageClasses'
  | 'persistentVolumes'
  | 'ingressClasses'
  | 'disruptionBudgets'
  | 'quotas'
  | 'configMapNames'
  | 'secretNames'
  | 'serviceNames';

/** Existence and key names of a ConfigMap or Secret: never its values. */
export interface ConfigRecord {
  kind: 'ConfigMap' | 'Secret';
  keys?: string[];
}

/**
 * The part of the cluster graph one diagnosis walked: every object read, what was looked up and not
 * there, what could not be read, the events of the involved objects, container logs and the keys of
 * referenced ConfigMaps and Secrets. Rules read only this; they never call the API.
 */
export class Evidence {
  readonly subject: ObjectRef;
  readonly now: Date;
  private readonly objects = new Map<string, KubeObject>();
  private readonly missing = new Set<string>();
  private readonly unreadable = new Map<string, string>();
  readonly gaps = new Map<EvidenceKind, string>();
  readonly events: EventRecord[] = [];
  readonly logs: LogRecord[] = [];
  private readonly configs = new Map<string, ConfigRecord>();
  private readonly lists = new Map<ListName, KubeObject[]>();
  /** The subject's pods (a workload's, a Service's selected ones, a node's), all of them. */
  pods: V1Pod[] = [];
  /** The pods chosen for a close look (unhealthy first, capped): their nodes, claims, configs and logs are read. */
  examined: V1Pod[] = [];
  /** Whether the resource metrics API (metrics.k8s.io) is served; undefined when not checked. */
  metricsApi: boolean | undefined;

  constructor(subject: ObjectRef, now: Date = new Date()) {
    this.subject = subject;
    this.now = now;
  }

  add(object: KubeObject, kind = object.kind ?? ''): void {
    const namespace = object.metadata?.namespace;
    this.objects.set(refKey({ kind, namespace: namespace === '' ? undefined : namespace, name: object.metadata?.name ?? '' }), {
      ...object,
      kind,
    });
  }

  markMissing(ref: ObjectRef): void {
    this.missing.add(refKey(ref));
  }

  markUnreadable(ref: ObjectRef, why: string): void {
    this.unreadable.set(refKey(ref), why);
  }

  /** The object, if read. */
  get<T = KubeObject>(ref: ObjectRef): T | undefined {
    return this.objects.get(refKey(ref)) as T | undefined;
  }

  /** found: read; missing: looked up and not there; unreadable: looked up and refused; unchecked: never looked up. */
  lookup(ref: ObjectRef): 'found' | 'missing' | 'unreadable' | 'unchecked' {
    const key = refKey(ref);
    if (this.objects.has(key)) return 'found';
    if (this.missing.has(key)) return 'missing';
    if (this.unreadable.has(key)) return 'unreadable';
    return 'unchecked';
  }

  whyUnreadable(ref: ObjectRef): string | undefined {
    return this.unreadable.get(refKey(ref));
  }

  /** Every object of a kind that was read, optionally in one namespace. */
  list<T = KubeObject>(kind: string, namespace?: string): T[] {
    const prefix = namespace === undefined ? `${kind}/` : `${kind}/${namespace}/`;
    return [...this.objects].filter(([key]) => key.startsWith(prefix)).map(([, object]) => object as T);
  }

  setList(name: ListName, objects: KubeObject[]): void {
    this.lists.set(name, objects);
  }

  listed<T = KubeObject>(name: ListName): T[] | undefined {
    return this.lists.get(name) as T[] | undefined;
  }

  setConfig(ref: ObjectRef & { kind: 'ConfigMap' | 'Secret' }, record: ConfigRecord): void {
    this.configs.set(refKey(ref), record);
  }

  config(ref: ObjectRef): ConfigRecord | undefined {
    return this.configs.get(refKey(ref));
  }

  /** Events about one object, newest first. */
  eventsOf(ref: ObjectRef): EventRecord[] {
    return this.events
      .filter(
        (e) =>
          e.object.kind === ref.kind &&
          e.object.name === ref.name &&
          (ref.namespace === undefined || e.object.namespace === undefined || e.object.namespace === ref.namespace),
      )
      .sort((a, b) => b.lastSeen - a.lastSeen);
  }

  logsOf(namespace: string, pod: string, container?: string): LogRecord[] {
    return this.logs.filter((l) => l.namespace === namespace && l.pod === pod && (container === undefined || l.container === container));
  }
}
