import { z } from 'zod';
import type { CallKubeOptions } from '../../../kube/call-kube.ts';
import type { ResultPart, ToolResult } from '../../tool-definition.ts';
import { own, untrusted } from '../../result-parts.ts';

/** Every write tool previews unless told otherwise: applying is the explicit, approved second call. */
export const dryRunArgument = z
  .boolean()
  .default(true)
  .describe('true (default): only preview the change with a server-side dry run; nothing changes. false: apply it.');

/** A Kubernetes object name (DNS subdomain). */
export const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'expected an object name (lower-case letters, digits, - and .)' })
  .max(253);

/**
 * API calls that change something are not retried: a 5xx may come after the change happened, and an
 * eviction's 429 means "a disruption budget says no", which the tool reports instead.
 */
export const WRITE_CALL: CallKubeOptions = { retries: 0 };

/** One field as it is and as it would be. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What a write would do (or did): what an approval card shows. */
export interface WritePreview {
  /** One exact line a human approves, e.g. "scale deployment shop/checkout: replicas 2 → 5". */
  summary: string;
  target: { kind: string; name: string; namespace?: string; context: string };
  changes: FieldChange[];
  /** Further exact lines (a drain's pods, a pod's owner), kept short. */
  details?: string[];
}

/**
 * The tool result of a write: the preview text first, then either how to apply it or that it was
 * applied. structuredContent carries `{ preview, applied }` (plus `outcome` lines after applying, and
 * `resolvedArguments`: values the preview resolved that applying must use, e.g. a revision "previous" meant,
 * which the server pins in the dry run's apply plan).
 */
export function writeResult({
  tool,
  preview,
  applied,
  outcome = [],
  resolvedArguments,
}: {
  tool: string;
  preview: WritePreview;
  applied: boolean;
  outcome?: string[];
  resolvedArguments?: Record<string, unknown>;
}): ToolResult {
  // The details list what the cluster holds (pods and why, alerts): data, fenced. Summary and outcome are the tool's.
  const details = preview.details ?? [];
  const text: ResultPart[] = [own(`${applied ? 'APPLIED' : 'DRY RUN (nothing changed)'}: ${preview.summary}`)];
  if (details.length > 0) text.push(untrusted(`what the ${tool} preview found in the cluster`, details.join('\n')));
  if (outcome.length > 0) text.push(own(outcome.join('\n')));
  if (!applied) text.push(own(`To apply it, call ${tool} again with the same arguments and dryRun: false.`));
  return {
    text,
    structuredContent: { preview, applied, ...(outcome.length > 0 ? { outcome } : {}), ...(resolvedArguments === undefined ? {} : { resolvedArguments }) },
  };
}

/** The object is already as asked: nothing to preview or apply. */
export function noChange({ preview }: { preview: WritePreview }): ToolResult {
  return { text: [own(`NO CHANGE: ${preview.summary}`)], structuredContent: { preview, applied: false } };
}

/** "namespace/name" as kubectl prints it. */
export const qualified = (namespace: string, name: string) => `${namespace}/${name}`;
