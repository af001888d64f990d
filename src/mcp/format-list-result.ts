import { formatTable, type TableColumn } from './format-table.ts';
import { own, untrusted } from './result-parts.ts';
import type { ResultPart, ToolResult } from './tool-definition.ts';

/**
 * A status as the summary line may show it outside the fence: a word or two of identifier characters
 * (CrashLoopBackOff, Init:0/1, waiting: ErrImagePull). Anything else a status field holds is counted as
 * "other": the rows, fenced, still show it.
 */
const SUMMARY_STATUS = /^[\w.:/=,+()-]{1,48}(?: [\w.:/=,+()-]{1,48})?$/;

export interface FormatListResultOptions<Row extends { anomalous: boolean }> {
  /** Plural noun: "pods", "deployments". */
  noun: string;
  /** "in namespace shop" or "in all namespaces". */
  scope: string;
  rows: Row[];
  columns: readonly TableColumn<Row>[];
  /** Groups rows for the summary line (e.g. pod status); no breakdown when absent. */
  groupBy?: (row: Row) => string;
  /** The API's continue token when more items exist. */
  continueToken?: string | undefined;
  /** The API's remainingItemCount, when it gave one. */
  remaining?: number | undefined;
  /** The limit asked for, when the page was fetched smaller to fit the output budget. */
  shortenedFrom?: number | undefined;
  /** How to narrow the list, named in the hint when there are more items. */
  narrowWith: string;
  /** Key of the rows in structuredContent. */
  key: string;
}

/**
 * A list for a model: one summary line (counts by status), then when the page is not the last, the
 * continue token and how to narrow, then the rows needing attention, then the rest (fenced: rows are cluster
 * data). What matters most comes first, so an answer cut short still has it.
 */
export function formatListResult<Row extends { anomalous: boolean }>({
  noun,
  scope,
  rows,
  columns,
  groupBy,
  continueToken,
  remaining,
  shortenedFrom,
  narrowWith,
  key,
}: FormatListResultOptions<Row>): ToolResult {
  const sorted = [...rows.filter((r) => r.anomalous), ...rows.filter((r) => !r.anomalous)];
  const counts: Record<string, number> = {};
  const shownCounts: Record<string, number> = {};
  if (groupBy !== undefined) {
    for (const row of rows) {
      const group = groupBy(row);
      counts[group] = (counts[group] ?? 0) + 1;
      const shown = SUMMARY_STATUS.test(group) ? group : 'other';
      shownCounts[shown] = (shownCounts[shown] ?? 0) + 1;
    }
  }
  const breakdown = Object.entries(shownCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');
  const anomalies = sorted.filter((r) => r.anomalous).length;
  const page = continueToken ? ` (this page${remaining === undefined ? '' : `; ${remaining} more after it`})` : '';
  const lines = [
    rows.length === 0
      ? `No ${noun} ${scope}.`
      : `${rows.length} ${rows.length === 1 ? noun.replace(/s$/, '') : noun} ${scope}${page}${breakdown ? `: ${breakdown}` : ''}. ${
          anomalies > 0 ? `${anomalies} need${anomalies === 1 ? 's' : ''} attention (listed first).` : 'None need attention.'
        }`,
  ];
  if (shortenedFrom !== undefined) {
    lines.push(`Page shortened from limit ${shortenedFrom} to ${rows.length} to fit the output budget; no ${noun} are skipped.`);
  }
  if (continueToken) {
    lines.push(`More ${noun} exist: call again with continue="${continueToken}" (same arguments), or narrow with ${narrowWith}.`);
  }
  const text: ResultPart[] = [own(lines.join('\n'))];
  // The rows are rendered from cluster objects: data for the model, fenced.
  if (rows.length > 0) text.push(untrusted(`${noun} ${scope}`, formatTable(sorted, columns)));
  const structuredContent: Record<string, unknown> = {
    summary: {
      total: rows.length,
      anomalies,
      ...(groupBy ? { byStatus: counts } : {}),
      ...(remaining === undefined ? {} : { remaining }),
      ...(shortenedFrom === undefined ? {} : { shortenedFrom }),
    },
    [key]: sorted.map(({ anomalous: _anomalous, ...rest }) => rest),
  };
  if (continueToken) structuredContent.continue = continueToken;
  return { text, structuredContent };
}
