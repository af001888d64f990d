import type { V1Container, V1EnvVar, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import { isCredentialName } from '../../../../redact/is-credential-name.ts';
import { redactText } from '../../../../redact/redact-text.ts';

/** Labels the controllers add to every revision; a difference in them is not a change anyone made. */
const CONTROLLER_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation']);
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Longest literal env value shown; longer ones are only said to have changed. */
const VALUE_CHARS = 40;

/**
 * What differs between two revisions of a pod template, as short phrases, in the order an engineer looks:
 * images, env, resources, command and args, probes, then anything else by name. Values are shown only for
 * literal env of non-credential names (redacted and short); command and args are only said to have changed,
 * since they often carry credentials; Secret-sourced env shows the Secret's name and key, never the value.
 */
export function podTemplateDiff(before: V1PodTemplateSpec | undefined, after: V1PodTemplateSpec | undefined): string[] {
  const phrases: string[] = [];
  const old = before?.spec;
  const now = after?.spec;
  for (const [label, a, b] of [
    ['', old?.containers ?? [], now?.containers ?? []],
    ['init ', old?.initContainers ?? [], now?.initContainers ?? []],
  ] as const) {
    const byName = new Map(a.map((c) => [c.name, c]));
    for (const container of b) {
      const previous = byName.get(container.name);
      if (previous === undefined) phrases.push(`${label}container ${container.name} added (image ${container.image ?? '?'})`);
      else phrases.push(...containerDiff(`${label}${container.name}`, previous, container));
    }
    const kept = new Set(b.map((c) => c.name));
    for (const container of a) if (!kept.has(container.name)) phrases.push(`${label}container ${container.name} removed`);
  }
  const restartedBefore = before?.metadata?.annotations?.[RESTARTED_AT];
  const restartedAfter = after?.metadata?.annotations?.[RESTARTED_AT];
  if (restartedAfter !== undefined && restartedAfter !== restartedBefore)
    phrases.push(`restart requested (${RESTARTED_AT} ${restartedAfter.slice(0, 30)})`);
  const annotations = changedKeys(before?.metadata?.annotations, after?.metadata?.annotations).filter((key) => key !== RESTARTED_AT);
  if (annotations.length > 0) phrases.push(`pod annotations changed: ${annotations.join(', ')}`);
  const labels = changedKeys(before?.metadata?.labels, after?.metadata?.labels).filter((key) => !CONTROLLER_LABELS.has(key));
  if (labels.length > 0) phrases.push(`pod labels changed: ${labels.join(', ')}`);
  const { containers: _c, initContainers: _i, ...oldRest } = old ?? { containers: [] };
  const { containers: _c2, initContainers: _i2, ...newRest } = now ?? { containers: [] };
  const other = changedKeys(oldRest, newRest);
  if (other.length > 0) phrases.push(`pod spec also changed: ${other.join(', ')}`);
  return phrases;
}

function containerDiff(name: string, a: V1Container, b: V1Container): string[] {
  const phrases: string[] = [];
  if (a.image !== b.image) phrases.push(`image ${name}: ${imageChange(a.image ?? '', b.image ?? '')}`);
  const env = envDiff(a.env ?? [], b.env ?? []);
  if (env.length > 0) phrases.push(`env ${name}: ${env.join(', ')}`);
  if (!same(a.envFrom, b.envFrom))
    phrases.push(
      `envFrom ${name} changed (${(b.envFrom ?? []).map((s) => (s.secretRef ? `Secret ${s.secretRef.name ?? ''}` : `ConfigMap ${s.configMapRef?.name ?? ''}`)).join(', ') || 'none now'})`,
    );
  const resources = resourceDiff(a.resources, b.resources);
  if (resources.length > 0) phrases.push(`resources ${name}: ${resources.join(', ')}`);
  if (!same(a.command, b.command)) phrases.push(`command ${name} changed`);
  if (!same(a.args, b.args)) phrases.push(`args ${name} changed`);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const change = probeChange(a[probe], b[probe]);
    if (change !== undefined) phrases.push(`${probe} ${name} ${change}`);
  }
  const other = changedKeys(a as unknown as Record<string, unknown>, b as unknown as Record<string, unknown>, SHOWN_CONTAINER_FIELDS);
  if (other.length > 0) phrases.push(`${name} also changed: ${other.join(', ')}`);
  return phrases;
}

/** Container fields containerDiff describes itself; the rest are named when they differ. */
const SHOWN_CONTAINER_FIELDS = new Set([
  'name',
  'image',
  'env',
  'envFrom',
  'resources',
  'command',
  'args',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
]);

/** "registry/app:1.0 → 1.1" when only the tag or digest moved, else both images in full. */
export function imageChange(before: string, after: string): string {
  const split = (image: string) => {
    const at = image.indexOf('@');
    if (at !== -1) return { repository: image.slice(0, at), version: image.slice(at) };
    const colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/')
      ? { repository: image.slice(0, colon), version: image.slice(colon + 1) }
      : { repository: image, version: 'latest' };
  };
  const a = split(before);
  const b = split(after);
  return a.repository === b.repository ? `${a.repository} ${a.version} → ${b.version}` : `${before} → ${after}`;
}

/** Env changes shown per container; the rest are counted. */
const ENV_SHOWN = 20;

function envDiff(a: readonly V1EnvVar[], b: readonly V1EnvVar[]): string[] {
  const before = new Map(a.map((e) => [e.name, e]));
  const kept = new Set(b.map((e) => e.name));
  // Phrases are built only for what is shown: redacting thousands of values would cost more than the diff.
  const changes: (() => string)[] = [];
  for (const variable of b) {
    const previous = before.get(variable.name);
    if (previous === undefined) changes.push(() => `+${variable.name}${source(variable)}`);
    else if (!sameEnv(previous, variable)) changes.push(() => envChange(previous, variable));
  }
  for (const variable of a) if (!kept.has(variable.name)) changes.push(() => `-${variable.name}`);
  const shown = changes.slice(0, ENV_SHOWN).map((phrase) => phrase());
  return changes.length > ENV_SHOWN ? [...shown, `and ${changes.length - ENV_SHOWN} more`] : shown;
}

/** Literal values compare as strings; only Secret / ConfigMap / field references need the structural compare. */
function sameEnv(a: V1EnvVar, b: V1EnvVar): boolean {
  if (a.valueFrom === undefined && b.valueFrom === undefined) return (a.value ?? '') === (b.value ?? '');
  return same(a, b);
}

function envChange(a: V1EnvVar, b: V1EnvVar): string {
  const literal = a.valueFrom === undefined && b.valueFrom === undefined;
  if (!literal) return `${b.name} changed${source(b)}`;
  if (isCredentialName(b.name)) return `${b.name} changed (value not shown: credential name)`;
  const show = (value: string | undefined) => {
    const redacted = redactText(value ?? '');
    return JSON.stringify(redacted.length > VALUE_CHARS ? `${redacted.slice(0, VALUE_CHARS)}…` : redacted);
  };
  return `${b.name} ${show(a.value)} → ${show(b.value)}`;
}

/** Where an env var's value now comes from, by name only. */
function source(variable: V1EnvVar): string {
  const from = variable.valueFrom;
  if (from?.secretKeyRef !== undefined) return ` (from Secret ${from.secretKeyRef.name ?? ''} key ${from.secretKeyRef.key})`;
  if (from?.configMapKeyRef !== undefined) return ` (from ConfigMap ${from.configMapKeyRef.name ?? ''} key ${from.configMapKeyRef.key})`;
  if (from?.fieldRef !== undefined) return ` (from field ${from.fieldRef.fieldPath})`;
  if (from?.resourceFieldRef !== undefined) return ` (from resource ${from.resourceFieldRef.resource})`;
  return '';
}

function resourceDiff(a: V1Container['resources'], b: V1Container['resources']): string[] {
  const phrases: string[] = [];
  for (const group of ['limits', 'requests'] as const) {
    const before = a?.[group] ?? {};
    const after = b?.[group] ?? {};
    for (const resource of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const x = before[resource];
      const y = after[resource];
      if (x === y) continue;
      phrases.push(
        x === undefined
          ? `+${group}.${resource} ${y ?? ''}`
          : y === undefined
            ? `-${group}.${resource}`
            : `${group}.${resource} ${x} → ${y}`,
      );
    }
  }
  return phrases;
}

function probeChange(a: V1Probe | undefined, b: V1Probe | undefined): string | undefined {
  if (same(a, b)) return undefined;
  if (a === undefined) return `added (${probeSummary(b)})`;
  if (b === undefined) return 'removed';
  const timings = (['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const)
    .filter((field) => a[field] !== b[field])
    .map((field) => `${field} ${a[field] ?? '-'} → ${b[field] ?? '-'}`);
  const handler = probeSummary(a) === probeSummary(b) ? [] : [`${probeSummary(a)} → ${probeSummary(b)}`];
  return `changed (${[...handler, ...timings].join(', ') || 'details'})`;
}

/** The probe's handler without exec commands (they may carry credentials). */
function probeSummary(probe: V1Probe | undefined): string {
  if (probe?.httpGet !== undefined) return `httpGet ${probe.httpGet.path ?? '/'}:${String(probe.httpGet.port)}`;
  if (probe?.tcpSocket !== undefined) return `tcpSocket ${String(probe.tcpSocket.port)}`;
  if (probe?.grpc !== undefined) return `grpc ${probe.grpc.port}`;
  if (probe?.exec !== undefined) return 'exec';
  return 'none';
}

/** Keys whose values differ between two maps (added, removed or changed), sorted; `skip` keys are not compared. */
function changedKeys(
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].filter((key) => !skip.has(key) && !same(a?.[key], b?.[key])).sort();
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys, so key order never reads as a change; empty lists and objects equal absent ones. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => [key, canonical(v)] as const)
      .filter(([, v]) => v !== '')
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return entries.length === 0 ? '' : `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${v}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
