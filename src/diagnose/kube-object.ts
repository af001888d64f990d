import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * Any Kubernetes object as the API returns it in JSON. The walk reads everything through getJson, so
 * timestamps are ISO strings even where client-node's types say Date: use `timeOf` to compare them.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
  };
  spec?: unknown;
  status?: unknown;
}

/** A Kubernetes condition, as most kinds report them. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | Date;
}

export interface ObjectRef {
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string | undefined;
  name: string;
}

/** "Kind/namespace/name", the key objects are filed under in the evidence. */
export function refKey({ kind, namespace, name }: ObjectRef): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** "Pod shop/checkout-x" or "Node node-3": how objects are named in findings. */
export function refLabel({ kind, namespace, name }: ObjectRef): string {
  return `${kind} ${namespace === undefined || namespace === '' ? '' : `${namespace}/`}${name}`;
}

export function refOf(object: KubeObject, kind = object.kind ?? ''): ObjectRef {
  const namespace = object.metadata?.namespace;
  return { kind, ...(namespace === undefined || namespace === '' ? {} : { namespace }), name: object.metadata?.name ?? '' };
}

/** Milliseconds since the epoch of an API timestamp (string or Date); NaN when absent. */
export function timeOf(value: string | Date | undefined): number {
  if (value === undefined) return Number.NaN;
  return (value instanceof Date ? value : new Date(value)).getTime();
}

export function conditionsOf(object: { status?: unknown } | undefined): Condition[] {
  const conditions = (object?.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as Condition[]).filter((c) => typeof c?.type === 'string') : [];
}

export function conditionOf(object: { status?: unknown } | undefined, type: string): Condition | undefined {
  return conditionsOf(object).find((c) => c.type === type);
}

/** "Ready=False (Reason): message" for a condition; the message cut to `max` characters. */
export function conditionLine(c: Condition, max = 300): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message.slice(0, max)}` : ''}`;
}

/** Does a label selector (matchLabels and matchExpressions) select these labels? An empty selector selects all. */
export function selectorMatches(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) if (own[key] !== value) return false;
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    const has = key in own;
    if (operator === 'In' && !(has && values.includes(own[key] ?? ''))) return false;
    if (operator === 'NotIn' && has && values.includes(own[key] ?? '')) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A plain selector map ("app=web,tier=api"), as Services and nodeSelectors have. */
export function mapSelectorString(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** One line of cluster text, trimmed and cut, safe to quote inside a verdict. */
export function quoteLine(text: string, max = 240): string {
  const line = text.replace(/\s+/g, ' ').replace(/`/g, "'").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
