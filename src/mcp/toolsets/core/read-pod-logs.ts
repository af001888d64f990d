import { z } from 'zod';
import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { isDomainError, ToolFailure, withNotFoundHint } from '../../errors.ts';
import { keepNewestLines } from '../../keep-newest-lines.ts';
import { redactText } from '../../../redact/redact-text.ts';
import type { ToolResult } from '../../tool-definition.ts';
import { namespaceName } from './list-arguments.ts';
import { own, untrusted } from '../../result-parts.ts';

export const podLogsArguments = {
  namespace: namespaceName.describe('Namespace of the pod.'),
  name: z.string().min(1).max(253).describe('Pod name.'),
  container: z.string().min(1).max(253).optional().describe('Container name; required when the pod has several.'),
  previous: z.boolean().default(false).describe('Logs of the previous (terminated) instance: use for crash loops.'),
  tail: z.number().int().min(1).max(5000).default(100).describe('Last lines to return (default 100).'),
  maxBytes: z
    .number()
    .int()
    .min(256)
    .max(65_536)
    .default(16_384)
    .describe('Cap on the returned log text; the newest lines are kept (default 16384).'),
};

export interface PodLogsArguments {
  namespace: string;
  name: string;
  container?: string | undefined;
  previous?: boolean | undefined;
  tail?: number | undefined;
  /** Only lines newer than this (kubectl logs --since). */
  sinceSeconds?: number | undefined;
  maxBytes?: number | undefined;
}

/** Upper bound asked of the API server, so one huge line cannot flood the MCP server's memory. */
const FETCH_LIMIT_BYTES = 1_048_576;

/** Context redacted before a cut inside a line; more than any one credential is long. */
const CUT_MARGIN_BYTES = 16_384;

/** Room kept for the header, fence and runTool's notes when logs are sized to the output budget. */
const LOG_OVERHEAD_TOKENS = 300;

/**
 * Reads a container's log tail, keeps the newest bytes within the cap and the newest lines within the
 * output budget (ToolContext.outputTokens), and fences it as untrusted.
 */
export async function readPodLogs(kube: KubeClient, args: PodLogsArguments, budgetTokens?: number): Promise<ToolResult> {
  const { namespace, name, container, sinceSeconds } = args;
  const previous = args.previous ?? false;
  const tail = args.tail ?? 100;
  const maxBytes = args.maxBytes ?? 16_384;
  const text = await callKube(kube, () =>
    kube.core.readNamespacedPodLog({ namespace, name, container, previous, tailLines: tail, sinceSeconds, limitBytes: FETCH_LIMIT_BYTES }),
  )
    .catch(withNotFoundHint(`Use pods_list with namespace "${namespace}" to see the pods (and pod_logs container names) there.`))
    .catch(noLogsYet(namespace, name));
  const byBytes = keepNewest(dropCutLastLine(text, FETCH_LIMIT_BYTES), maxBytes);
  const byTokens =
    budgetTokens === undefined
      ? { kept: byBytes.kept, droppedLines: 0 }
      : keepNewestLines(byBytes.kept, budgetTokens - LOG_OVERHEAD_TOKENS);
  const kept = byTokens.kept;
  const droppedBytes = byBytes.droppedBytes + Buffer.byteLength(byBytes.kept) - Buffer.byteLength(kept);
  const lineCount = kept === '' ? 0 : kept.replace(/\n$/, '').split('\n').length;
  const what = `${previous ? 'previous instance of ' : ''}${container ? `container ${container} of ` : ''}pod ${namespace}/${name}`;
  const header =
    kept === ''
      ? `No log lines for ${what}.`
      : `Last ${lineCount} log lines of ${what}${
          byTokens.droppedLines > 0
            ? ` (${byTokens.droppedLines} older lines left out to fit the ${budgetTokens}-token output budget; use a smaller tail, or since/grep when offered)`
            : droppedBytes > 0
              ? ` (older ${droppedBytes} bytes cut to fit ${maxBytes}; lower tail to see whole lines)`
              : ''
        }:`;
  return {
    text: kept === '' ? [own(header)] : [own(header), untrusted(`logs of ${what}`, kept)],
    structuredContent: { namespace, pod: name, container, previous, lines: lineCount, truncatedBytes: droppedBytes, untrusted: true },
  };
}

/**
 * A pod that never started (unscheduled, or its container still waiting) has no logs; the API server
 * says so in a body client-node 1.4 fails to parse ("Cannot parse content"). Report it to the model as
 * a domain result with the next step instead of a protocol error.
 */
function noLogsYet(namespace: string, name: string): (error: unknown) => never {
  return (error: unknown): never => {
    if (error instanceof Error && !isDomainError(error) && /Cannot parse content/i.test(error.message)) {
      throw new ToolFailure(
        `no logs for pod ${namespace}/${name}: its container has not started (the pod may be unscheduled or still waiting). Use diagnose or pod_get to see why.`,
        { cause: error },
      );
    }
    throw error;
  };
}

/**
 * Keeps the last maxBytes of text, starting at a line boundary when one is in that window. When none is
 * (one line longer than maxBytes), the line's tail is redacted from a margin before the cut, then cut: a cut
 * inside the line could separate a credential from the key or prefix that makes it recognisable, and the
 * margin is longer than any credential (a JSON-escaped 4096-bit PEM key is about 3.3 KB).
 */
export function keepNewest(text: string, maxBytes: number): { kept: string; droppedBytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { kept: text, droppedBytes: 0 };
  let start = bytes.length - maxBytes;
  const newline = bytes.indexOf(0x0a, start);
  if (newline !== -1 && newline < bytes.length - 1) {
    start = newline + 1;
    return { kept: bytes.subarray(start).toString('utf8'), droppedBytes: start };
  }
  const lineStart = Math.max(bytes.lastIndexOf(0x0a, start) + 1, start - CUT_MARGIN_BYTES);
  const line = Buffer.from(redactText(bytes.subarray(lineStart).toString('utf8')), 'utf8');
  let tail = Math.max(0, line.length - maxBytes);
  // Skip UTF-8 continuation bytes so the cut never splits a character.
  while (tail < line.length && ((line[tail] ?? 0) & 0xc0) === 0x80) tail++;
  return { kept: line.subarray(tail).toString('utf8'), droppedBytes: lineStart + tail };
}

/**
 * A log fetched with limitBytes ends wherever the limit fell, maybe inside a line (and a credential): that
 * partial last line goes, so no redactor ever sees half a token.
 */
export function dropCutLastLine(text: string, limitBytes: number): string {
  if (text.endsWith('\n') || Buffer.byteLength(text) < limitBytes) return text;
  return text.slice(0, text.lastIndexOf('\n') + 1);
}
