import type { ChangeItem } from '../../contract/changes-list-content.ts';

export interface Culprit {
  item: ChangeItem;
  /** Why this one, in words: its kind, how long before the alert, and whether it touched the alerting workload. */
  why: string;
}

export interface LikelyCulpritOptions {
  /** When the alert started firing. */
  startedAt: string;
  /** The workload the alert's labels name, if any. */
  workload?: string | undefined;
  namespace?: string | undefined;
}

/** A change this long after the alert started cannot have caused it (clocks and scrape intervals aside). */
const AFTER_START_SLACK_MS = 60_000;

/** How often each kind of change breaks things, roughly: code and config first, then capacity and placement. */
const WEIGHT: Record<ChangeItem['type'], number> = {
  rollout: 6,
  config: 5,
  secret: 5,
  helm: 5,
  gitops: 5,
  node: 4,
  scale: 3,
  deleting: 2,
  created: 1,
};

const NOUN: Record<ChangeItem['type'], string> = {
  rollout: 'rollout',
  config: 'ConfigMap update',
  secret: 'Secret update',
  helm: 'Helm release',
  gitops: 'GitOps sync',
  node: 'node change',
  scale: 'scaling',
  deleting: 'deletion',
  created: 'new object',
};

/**
 * The change most likely to have caused an alert, by rule (no model): only changes before it started; one on the
 * alerting workload beats one elsewhere in its namespace, which beats the rest; then rollouts before config,
 * releases and syncs, node changes, scaling and the rest; then the one closest to the start. Undefined when
 * nothing changed before the alert in the window.
 */
export function likelyCulprit(items: readonly ChangeItem[], { startedAt, workload, namespace }: LikelyCulpritOptions): Culprit | undefined {
  const start = Date.parse(startedAt);
  const relevance = (item: ChangeItem): number => {
    if (workload !== undefined && (item.name === workload || item.name.startsWith(`${workload}-`))) return 2;
    if (item.namespace === undefined || item.namespace === namespace) return 1;
    return 0;
  };
  let best: { item: ChangeItem; score: number; at: number } | undefined;
  for (const item of items) {
    const at = Date.parse(item.at);
    if (Number.isNaN(at) || at > start + AFTER_START_SLACK_MS) continue;
    const score = relevance(item) * 10 + WEIGHT[item.type];
    if (best === undefined || score > best.score || (score === best.score && at > best.at)) best = { item, score, at };
  }
  if (best === undefined) return undefined;
  const minutes = Math.max(0, Math.round((start - best.at) / 60_000));
  const when = minutes === 0 ? 'as the alert started' : `${minutes} min before the alert started`;
  const where =
    relevance(best.item) === 2
      ? `, on the alerting workload ${workload ?? ''}`
      : relevance(best.item) === 1 && best.item.namespace !== undefined
        ? ` in the alert's namespace`
        : '';
  const rivals = items.filter(
    (item) => item !== best.item && item.type === best.item.type && Date.parse(item.at) <= start + AFTER_START_SLACK_MS,
  ).length;
  return {
    item: best.item,
    why: `the ${rivals === 0 ? 'only' : 'latest'} ${NOUN[best.item.type]} before the alert that fits best, ${when}${where}`,
  };
}
