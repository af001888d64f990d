import type { ChangeItem } from '../../../../contract/changes-list-content.ts';

/** The time window asked about, in epoch milliseconds. */
export interface ChangeWindow {
  sinceMs: number;
  untilMs: number;
}

/** Items derived from one family of objects, plus what the API could not show about it. */
export interface DerivedChanges {
  items: ChangeItem[];
  /** Sentences saying what is unknown and why ("revisions before 10:02 are no longer kept"). */
  unknown: string[];
}

export const inWindow = (window: ChangeWindow, at: number): boolean => at >= window.sinceMs && at <= window.untilMs;

/** Milliseconds of a Kubernetes timestamp (ISO string as JSON carries it); NaN when absent or malformed. */
export const timeOf = (value: string | undefined): number => (value === undefined ? Number.NaN : Date.parse(value));

/** RFC 3339 in whole seconds. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "Deployment shop/checkout", or "Node node-3" for cluster-scoped objects. */
export const objectLabel = (item: Pick<ChangeItem, 'kind' | 'namespace' | 'name'>): string =>
  `${item.kind} ${item.namespace === undefined ? '' : `${item.namespace}/`}${item.name}`;
